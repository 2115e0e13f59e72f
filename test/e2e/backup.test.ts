/**
 * `paywall db backup`, end to end: an online SQLite copy taken while `paywall
 * bot` runs and writes, opened afterwards to find the data; never overwriting
 * a file; and a PostgreSQL database refused with exit 2, pointing to pg_dump
 * (SPEC 2).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';

const CHAT = -1001234567001;
const POLLING = /"msg":"Polling for updates"/;
const databases = await testDatabases();
const sqlite = databases.find((d) => d.kind === 'sqlite')!;

describe('paywall db backup', { concurrency: true }, () => {
  test('SQLite: a consistent copy while `paywall bot` runs, with the data in it; an existing file is never overwritten', async (t) => {
    const h = await createHarness(t, sqlite);
    h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Room A' });
    const added = await h.run(['plans', 'add', '--title', 'Backed-up plan', '--price', '50', '--duration', '30d', '--chat', String(CHAT)]);
    assert.equal(added.code, 0, added.stderr);
    const bot = h.spawn(['bot']);
    await bot.waitForOutput(POLLING, 20_000);
    const user = { id: 616161, first_name: 'Wal' };
    h.fake.userSends(h.token, { user, text: '/start' });
    await h.fake.waitForCall({ method: 'sendMessage', token: h.token, status: 200 }, 10_000);

    const named = await h.run(['db', 'backup', 'copy.sqlite']);
    assert.equal(named.code, 0, named.stderr);
    const file = join(h.dir, 'copy.sqlite');
    assert.equal(named.stdout, `${file}\n`);
    assert.match(named.stderr, /Backed up the SQLite database to .*copy\.sqlite: [\d.]+ (B|kB|MB) in [\d.]+ s\./);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
    assert.ok(!bot.exited, 'the bot kept running');

    const copy = await createDb(parseDatabaseUrl(`sqlite:${file}`, h.dir), silentLogger());
    try {
      assert.equal((await copy.knex.raw('PRAGMA integrity_check'))[0].integrity_check, 'ok');
      assert.ok(await copy.knex('plans').where({ title: 'Backed-up plan' }).first(), 'the plan is in the copy');
      // Written by the running bot a moment ago, most likely still in its WAL file.
      assert.ok(await copy.knex('users').where({ id: user.id }).first(), 'the user the bot just saw is in the copy');
    } finally {
      await copy.close();
    }

    const before = readFileSync(file);
    const again = await h.run(['db', 'backup', '--out', 'copy.sqlite']);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /copy\.sqlite already exists: paywall db backup never overwrites a file\.\nName another file/);
    assert.deepEqual(readFileSync(file), before, 'the existing file is untouched');

    const unnamed = await h.run(['db', 'backup']);
    assert.equal(unnamed.code, 0, unnamed.stderr);
    assert.match(unnamed.stdout, /^\/.*\/paywall-backup-\d{8}T\d{6}Z\.sqlite\n$/);
    assert.ok(existsSync(unnamed.stdout.trim()));
    assert.deepEqual(readdirSync(h.dir).filter((n) => n.includes('partial')), [], 'no partial file left behind');
    h.assertNoTokenLeak();
  });

  test('SQLite: no database at the path is exit 2, and nothing is created', async (t) => {
    const h = await createHarness(t, sqlite);
    const missing = join(h.dir, 'none', 'paywall.db');
    const result = await h.run(['db', 'backup', 'x.sqlite'], { env: { DATABASE_URL: `sqlite:${missing}` } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /There is no database at .*none\/paywall\.db to back up/);
    assert.ok(!existsSync(join(h.dir, 'none')) && !existsSync(join(h.dir, 'x.sqlite')));
  });

  test('PostgreSQL: exit 2 pointing to pg_dump; no file written, no password shown', async (t) => {
    const h = await createHarness(t, sqlite);
    const url = 'postgres://paywall:pw-never-shown@127.0.0.1:5432/paywall?sslmode=disable';
    const result = await h.run(['db', 'backup', 'db.dump'], { env: { DATABASE_URL: url } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /PostgreSQL/);
    assert.match(result.stderr, /pg_dump --format=custom/);
    assert.equal(result.stdout, '');
    assert.ok(!(result.stdout + result.stderr).includes('pw-never-shown'), 'the password is never shown');
    assert.deepEqual(readdirSync(h.dir).filter((n) => n.endsWith('.dump') || n.includes('partial')), []);
  });
});
