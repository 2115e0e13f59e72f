/**
 * The pages' queries can use migration 003's indexes on both databases (the
 * removal index only matches its exact expression): each query's plan names
 * its index. PostgreSQL is told to avoid sequential scans, which it would
 * rightly prefer on a test's tiny tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Knex } from 'knex';
import type { Db } from '../../../src/db/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { T0 } from '../../helpers/store-fixture.js';
import { openReads, type ReadsFixture } from './fixture.js';

interface Captured {
  sql: string;
  bindings: readonly unknown[];
}

/** The statements `run` sends, captured from knex's query events. */
async function capture(db: Db, run: () => Promise<unknown>): Promise<Captured[]> {
  const seen: Captured[] = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.knex.on('query', listener);
  try {
    await run();
  } finally {
    db.knex.removeListener('query', listener);
  }
  return seen;
}

async function plan(db: Db, statement: Captured): Promise<string> {
  if (db.kind === 'sqlite') {
    const rows: Array<{ detail: string }> = await db.knex.raw(`explain query plan ${statement.sql}`, [...statement.bindings] as Knex.RawBinding[]);
    return rows.map((r) => r.detail).join('\n');
  }
  return db.knex.transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    const result = await trx.raw(`explain ${statement.sql.replace(/\$\d+/g, '?')}`, [...statement.bindings] as Knex.RawBinding[]);
    return (result.rows as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n');
  });
}

async function plans(fixture: ReadsFixture, run: (reads: ReadsFixture['reads']) => Promise<unknown>): Promise<string[]> {
  const statements = await capture(fixture.db, () => run(fixture.reads));
  return Promise.all(statements.map((s) => plan(fixture.db, s)));
}

for (const testDb of await testDatabases()) {
  describe(`page read indexes (${testDb.kind})`, () => {
    test('each query reaches its index', async (t) => {
      const fixture = await openReads(t, testDb);
      const until = new Date(T0.getTime() + 7 * 86_400_000);
      const removals = await plans(fixture, (r) => r.upcomingRemovals({ now: T0, until, graceMs: 0, offset: 0, limit: 50 }));
      assert.equal(removals.length, 2);
      for (const p of removals) assert.match(p, /subscriptions_removal_due_idx/, 'count and page both search the removal index');
      const [revenue, newSubscribers] = await plans(fixture, (r) => r.overview(T0, 30));
      assert.match(revenue ?? '', /payments_paid_created_at_amount_idx/);
      assert.match(newSubscribers ?? '', /subscriptions_created_at_user_id_idx/);
      assert.match((await plans(fixture, (r) => r.userJobs(5, 10))).join('\n'), /jobs_user_id_id_idx/);
      assert.match((await plans(fixture, (r) => r.audit({ offset: 0, limit: 10, action: 'grant' }))).join('\n'), /audit_log_action_created_at_idx/);
    });
  });
}
