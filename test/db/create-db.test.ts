/** createDb and pingDb: SQLite settings, unwritable files, unreachable servers. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/cli/errors.js';
import { createDb, DatabaseUnavailableError, pingDb } from '../../src/db/index.js';
import { openTestDb, silentLogger, testDatabases } from '../helpers/databases.js';
import { tempDir } from '../helpers/tmp.js';

const execFileAsync = promisify(execFile);

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

const OPEN_CHILD = `
const { createDb } = await import(process.env.DB_MODULE);
const { createLogger } = await import(process.env.LOG_MODULE);
try {
  const db = await createDb({ kind: 'sqlite', filename: process.env.DB_FILE }, createLogger({ logLevel: 'silent', logFormat: 'json', secrets: [] }));
  await db.close();
  process.stdout.write('opened');
} catch (err) {
  process.stdout.write(err.name + ': ' + err.message);
}
`;

/**
 * Tries createDb on `filename` and returns "opened" or "<error name>: <message>".
 * Root writes read-only files anyway, so as root the attempt runs in a child as nobody.
 */
async function openAsUnprivileged(filename: string): Promise<string> {
  if (!isRoot) {
    try {
      await (await createDb({ kind: 'sqlite', filename }, silentLogger())).close();
      return 'opened';
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  }
  const env = {
    ...process.env,
    DB_FILE: filename,
    DB_MODULE: new URL('../../src/db/index.js', import.meta.url).href,
    LOG_MODULE: new URL('../../src/log/logger.js', import.meta.url).href,
  };
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', OPEN_CHILD], { env, uid: NOBODY, gid: NOBODY, cwd: '/', timeout: 10_000 });
  return stdout;
}

for (const testDb of await testDatabases()) {
  describe(`createDb (${testDb.kind})`, () => {
    test('opens, answers pingDb, and closes (twice is fine)', async (t) => {
      const { db } = await openTestDb(t, testDb);
      assert.equal(db.kind, testDb.kind);
      assert.equal(await pingDb(db, 2000), true);
      await db.close();
      await db.close();
      assert.equal(await pingDb(db, 2000), false);
    });
  });
}

describe('createDb (sqlite specifics)', () => {
  test('every connection uses WAL, foreign keys, a busy timeout and synchronous=NORMAL', async (t) => {
    const dir = tempDir(t);
    const db = await createDb({ kind: 'sqlite', filename: join(dir, 'nested', 'deeper', 'paywall.db') }, silentLogger());
    t.after(() => db.close());
    const pragma = async (name: string) => Object.values(((await db.knex.raw(`PRAGMA ${name}`)) as Record<string, unknown>[])[0]!)[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal(await pragma('busy_timeout'), 5000);
    assert.equal(await pragma('synchronous'), 1);
  });

  test('a path whose directory cannot be created is a UsageError at once', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const filename = join(dir, 'a-file', 'paywall.db');
    const started = Date.now();
    await assert.rejects(createDb({ kind: 'sqlite', filename }, silentLogger()), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.ok(err.message.includes(filename), err.message);
      assert.match(err.hint ?? '', /DATABASE_URL=sqlite:/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });

  test('a directory named as the database file is a UsageError', async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'paywall.db'));
    await assert.rejects(createDb({ kind: 'sqlite', filename: join(dir, 'paywall.db') }, silentLogger()), UsageError);
  });

  test('a read-only file or directory is a UsageError at once', async (t) => {
    const dir = tempDir(t);
    chmodSync(dir, 0o777);
    const filename = join(dir, 'paywall.db');
    writeFileSync(filename, '');
    chmodSync(filename, 0o444);
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const started = Date.now();
    try {
      assert.match(await openAsUnprivileged(filename), /^UsageError: .*read-only/);
      assert.match(await openAsUnprivileged(join(locked, 'paywall.db')), /^UsageError: .*not writable/);
    } finally {
      chmodSync(locked, 0o755); // so that the temp dir can be removed
    }
    assert.ok(Date.now() - started < 5000);
  });

  test('a file that is not a database is a UsageError', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'paywall.db');
    writeFileSync(filename, 'this is not an SQLite database, just some text that is long enough to look like a header'.repeat(20));
    await assert.rejects(createDb({ kind: 'sqlite', filename }, silentLogger()), (err: unknown) => err instanceof UsageError && /not an SQLite database/.test(err.message));
  });
});

describe('createDb (postgres specifics)', () => {
  const url = 'postgres://paywall:s3cret-Passw0rd@127.0.0.1:1/paywall';

  test('an unreachable server is a DatabaseUnavailableError without the password', async () => {
    await assert.rejects(createDb({ kind: 'postgres', url }, silentLogger()), (err: unknown) => {
      assert.ok(err instanceof DatabaseUnavailableError, String(err));
      assert.ok(!(err instanceof UsageError));
      assert.ok(!err.message.includes('s3cret-Passw0rd'), err.message);
      assert.ok(err.message.includes('127.0.0.1:1'), err.message);
      return true;
    });
  });

  test('without verify it opens lazily, and pingDb gives up within its timeout', async (t) => {
    // 192.0.2.1 (TEST-NET-1) never answers: the probe must time out rather than hang.
    const db = await createDb({ kind: 'postgres', url: 'postgres://paywall:pw@192.0.2.1:5432/paywall' }, silentLogger(), { verify: false });
    t.after(() => db.close());
    const started = Date.now();
    assert.equal(await pingDb(db, 300), false);
    assert.ok(Date.now() - started < 1500);
  });

  test('a database that does not exist is a UsageError', async (t) => {
    const pg = (await testDatabases()).find((d) => d.kind === 'postgres');
    if (!pg) return t.skip('PostgreSQL unreachable');
    const created = await pg.create();
    t.after(() => created.drop());
    const missing = new URL(created.url);
    missing.pathname = '/paywall_does_not_exist_here';
    await assert.rejects(createDb({ kind: 'postgres', url: missing.toString() }, silentLogger()), (err: unknown) => err instanceof UsageError && /createdb/.test(err.hint ?? ''));
  });
});
