/** Migrations: a new database gets the whole schema, again is a no-op, and concurrent first starts both succeed. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../src/cli/errors.js';
import { createDb, migrateLatest, MIGRATIONS, type Db } from '../../src/db/index.js';
import { capturingLogger, openTestDb, silentLogger, testDatabases } from '../helpers/databases.js';

const TABLES = [
  'settings', 'users', 'plans', 'plan_chats', 'protected_chats', 'orders', 'payments', 'subscriptions', 'subscription_chats',
  'invite_links', 'chat_members', 'jobs', 'broadcasts', 'broadcast_recipients', 'bot_heartbeat', 'processed_updates',
  'admin_sessions', 'audit_log', 'update_inbox',
];

const moduleUrl = (path: string) => new URL(`../../src/${path}`, import.meta.url).href;

// A child that opens the database and migrates at a given instant, so that two start together.
const CHILD = `
const { createDb, migrateLatest } = await import(process.env.DB_MODULE);
const { parseDatabaseUrl } = await import(process.env.CONFIG_MODULE);
const { createLogger } = await import(process.env.LOG_MODULE);
const logger = createLogger({ logLevel: 'warn', logFormat: 'json', secrets: [] });
while (Date.now() < Number(process.env.START_AT)) await new Promise((r) => setTimeout(r, 2));
const db = await createDb(parseDatabaseUrl(process.env.DB_URL, process.cwd()), logger);
try { process.stdout.write(JSON.stringify(await migrateLatest(db, logger))); } finally { await db.close(); }
`;

function runChild(url: string, startAt: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: {
        ...process.env,
        DB_URL: url,
        START_AT: String(startAt),
        DB_MODULE: moduleUrl('db/index.js'),
        CONFIG_MODULE: moduleUrl('config/config.js'),
        LOG_MODULE: moduleUrl('log/logger.js'),
      },
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function assertMigratedOnce(db: Db): Promise<void> {
  const rows = await db.knex('knex_migrations').select('name');
  assert.deepEqual(rows.map((r: { name: string }) => r.name), MIGRATIONS.map((m) => m.name));
  const locks = await db.knex('knex_migrations_lock').select('is_locked');
  assert.equal(locks.length, 1);
  assert.equal(Number(locks[0].is_locked), 0);
  for (const table of TABLES) assert.equal(await db.knex.schema.hasTable(table), true, `table ${table}`);
}

for (const testDb of await testDatabases()) {
  describe(`migrations (${testDb.kind})`, () => {
    test('a new database gets every table; a second run applies nothing', async (t) => {
      const created = await testDb.create();
      const { logger, lines } = capturingLogger('info');
      const db = await createDb(created.database, logger);
      t.after(async () => {
        await db.close();
        await created.drop();
      });
      assert.deepEqual(await migrateLatest(db, logger), MIGRATIONS.map((m) => m.name));
      assert.ok(lines.some((l) => l.includes(`Applied ${MIGRATIONS.length} database migration`)), 'logs what it applied');
      assert.deepEqual(await migrateLatest(db, logger), []);
      await assertMigratedOnce(db);
    });

    test('two concurrent migrations in one process both succeed', async (t) => {
      const created = await testDb.create();
      const a = await createDb(created.database, silentLogger());
      const b = await createDb(created.database, silentLogger());
      t.after(async () => {
        await a.close();
        await b.close();
        await created.drop();
      });
      const [first, second] = await Promise.all([migrateLatest(a, silentLogger()), migrateLatest(b, silentLogger())]);
      assert.equal(first.length + second.length, MIGRATIONS.length, 'each migration applied exactly once');
      await assertMigratedOnce(a);
    });

    test('two child processes migrating a new database at the same moment both succeed', async (t) => {
      const created = await testDb.create();
      t.after(() => created.drop());
      const startAt = Date.now() + 1500;
      const results = await Promise.all([runChild(created.url, startAt), runChild(created.url, startAt)]);
      for (const r of results) assert.equal(r.code, 0, `child failed: ${r.stderr}`);
      const applied = results.flatMap((r) => JSON.parse(r.stdout) as string[]);
      assert.deepEqual(applied, MIGRATIONS.map((m) => m.name));
      const db = await createDb(created.database, silentLogger());
      t.after(() => db.close());
      await assertMigratedOnce(db);
    });

    test('a held migration lock is waited for, logged once, then migration proceeds', async (t) => {
      const { db } = await openTestDb(t, testDb);
      // knex takes the lock even when nothing is pending.
      await db.knex('knex_migrations_lock').update({ is_locked: 1 });
      const { logger, lines } = capturingLogger('info');
      const release = setTimeout(() => void db.knex('knex_migrations_lock').update({ is_locked: 0 }).then(() => undefined), 700);
      t.after(() => clearTimeout(release));
      const started = Date.now();
      assert.deepEqual(await migrateLatest(db, logger, { retryDelayMs: 50 }), []);
      assert.ok(Date.now() - started >= 600, 'it waited for the lock');
      assert.equal(lines.filter((l) => l.includes('waiting for it to finish')).length, 1);
    });

    test('a lock never released ends in a UsageError naming the fix', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await db.knex('knex_migrations_lock').update({ is_locked: 1 });
      await assert.rejects(migrateLatest(db, silentLogger(), { timeoutMs: 300, retryDelayMs: 50 }), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /migration lock/);
        assert.match(err.hint ?? '', /knex_migrations_lock/);
        return true;
      });
    });
  });
}
