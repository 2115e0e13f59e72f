/**
 * Migration 003 on both databases: existing jobs get user_id from their
 * payload (safe integers only), the read indexes exist, and `down` takes it
 * all back, leaving the jobs in place, so that `up` can run again.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Knex } from 'knex';
import { createDb, createMigrationSource, MIGRATIONS, type Db } from '../../../src/db/index.js';
import { silentLogger, testDatabases, type TestDatabase } from '../../helpers/databases.js';

const INDEXES = ['jobs_user_id_id_idx', 'subscriptions_removal_due_idx', 'subscriptions_created_at_user_id_idx', 'payments_paid_created_at_amount_idx', 'audit_log_action_created_at_idx'];

async function openUnmigrated(t: TestContext, testDb: TestDatabase): Promise<Db> {
  const created = await testDb.create();
  let db: Db | undefined;
  t.after(async () => {
    await db?.close();
    await created.drop();
  });
  db = await createDb(created.database, silentLogger());
  return db;
}

async function indexNames(db: Db): Promise<string[]> {
  const rows: Array<{ name: string }> = db.kind === 'postgres'
    ? (await db.knex.raw("select indexname as name from pg_indexes where schemaname = current_schema()")).rows
    : await db.knex('sqlite_master').where('type', 'index').select('name');
  return rows.map((r) => r.name).filter((name) => INDEXES.includes(name)).sort();
}

const config = (count: number): Knex.MigratorConfig => ({ migrationSource: createMigrationSource(MIGRATIONS.slice(0, count)), tableName: 'knex_migrations' });

for (const testDb of await testDatabases()) {
  describe(`migration 003 (${testDb.kind})`, () => {
    test('backfills jobs.user_id from payloads, adds the indexes, and rolls back cleanly', async (t) => {
      const db = await openUnmigrated(t, testDb);
      const { knex } = db;
      const index003 = MIGRATIONS.findIndex((m) => m.name === '003-page-read-indexes');
      assert.ok(index003 > 0);
      await knex.migrate.latest(config(index003));
      const payloads = ['{"userId":5,"subscriptionId":1}', '{"userId":-3}', '{"userId":"5"}', '{"userId":5.5}', '{"userId":9007199254740993}', '{"key":"x","params":{"userId":7}}', '{}', '{"userId":null}'];
      await knex('jobs').insert(payloads.map((payload, i) => ({ type: 'message', payload, status: 'queued', run_at: i, created_at: i, updated_at: i })));

      await knex.migrate.latest(config(index003 + 1));
      const filled: Array<{ user_id: unknown }> = await knex('jobs').orderBy('id').select('user_id');
      assert.deepEqual(filled.map((r) => (r.user_id === null ? null : Number(r.user_id))), [5, -3, null, null, null, null, null, null]);
      assert.deepEqual(await indexNames(db), [...INDEXES].sort());

      await knex.migrate.down(config(index003 + 1));
      assert.equal(await knex.schema.hasColumn('jobs', 'user_id'), false);
      assert.deepEqual(await indexNames(db), []);
      const [{ n }] = (await knex('jobs').count({ n: '*' })) as [{ n: unknown }];
      assert.equal(Number(n), payloads.length, 'the jobs survive the rollback');
      assert.equal(await knex.schema.hasColumn('subscription_chats', 'position'), true, '002 is untouched');

      await knex.migrate.latest(config(index003 + 1));
      assert.equal(await knex.schema.hasColumn('jobs', 'user_id'), true);
      assert.deepEqual(await indexNames(db), [...INDEXES].sort());
    });
  });
}
