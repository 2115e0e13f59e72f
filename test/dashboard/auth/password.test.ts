/** The admin password: scrypt hashes, generation once (even when two starts race), and the constant-time check. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackendUnavailableError } from '../../../src/dashboard/api/http-errors.js';
import { createPasswordCheck, ensureAdminPassword, hashPassword, PASSWORD_HASH_SETTING, verifyPassword } from '../../../src/dashboard/auth/password.js';
import { createSettingsStore } from '../../../src/db/index.js';
import { openTestDb, testDatabases } from '../../helpers/databases.js';

describe('password hashes', () => {
  test('scrypt with a fresh salt each time; verify accepts only the password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.match(a, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'salted');
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('correct horse!', a), false);
    assert.equal(await verifyPassword('', a), false);
    for (const bad of ['', 'plain', 'scrypt$x$8$1$salt$hash', 'bcrypt$1$2$3$4$5']) assert.equal(await verifyPassword('x', bad), false, bad);
  });
});

const [database] = await testDatabases();

describe('the stored admin password', () => {
  test('generated once, returned once; a second start (or a racing one) gets nothing', async (t) => {
    const { db } = await openTestDb(t, database!);
    const settings = createSettingsStore(db.knex);
    const [first, racing] = await Promise.all([ensureAdminPassword(settings, undefined), ensureAdminPassword(createSettingsStore(db.knex), undefined)]);
    const generated = [first, racing].filter((p): p is string => p !== undefined);
    assert.equal(generated.length, 1, 'exactly one start prints a password');
    assert.match(generated[0]!, /^[\w-]{24}$/);
    assert.equal(await ensureAdminPassword(settings, undefined), undefined);
    const stored = await settings.get(PASSWORD_HASH_SETTING);
    assert.ok(stored && !stored.includes(generated[0]!), 'only the hash is stored');
    assert.equal(await verifyPassword(generated[0]!, stored), true);
  });

  test('with DASHBOARD_PASSWORD nothing is generated or stored', async (t) => {
    const { db } = await openTestDb(t, database!);
    const settings = createSettingsStore(db.knex);
    assert.equal(await ensureAdminPassword(settings, 'configured'), undefined);
    assert.equal(await settings.get(PASSWORD_HASH_SETTING), undefined);
  });

  test('the check: DASHBOARD_PASSWORD wins; else the stored hash; 503 while the database is away', async (t) => {
    const { db } = await openTestDb(t, database!);
    const settings = createSettingsStore(db.knex);
    const configured = createPasswordCheck({ configured: 'env-secret', settings: () => settings });
    assert.equal(await configured('env-secret'), true);
    assert.equal(await configured('env-secret '), false);

    const stored = createPasswordCheck({ configured: undefined, settings: () => settings });
    assert.equal(await stored('anything'), false, 'no password yet: nobody gets in');
    const password = (await ensureAdminPassword(settings, undefined))!;
    assert.equal(await stored(password), true);
    assert.equal(await stored(password), true, 'remembered');
    assert.equal(await stored(`${password}x`), false);
    await settings.set(PASSWORD_HASH_SETTING, await hashPassword('rotated'));
    assert.equal(await stored(password), false, 'a new hash takes effect at once');
    assert.equal(await stored('rotated'), true);

    const offline = createPasswordCheck({ configured: undefined, settings: () => undefined });
    await assert.rejects(offline('x'), BackendUnavailableError);
  });
});
