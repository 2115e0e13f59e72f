/** The admin session store on SQLite and PostgreSQL: create, find, touch, delete one or all, purge the expired. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSessionStore, type AdminSession } from '../../src/db/session-store.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

const T0 = new Date('2026-03-01T12:00:00.123Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function session(id: string, expiresIn: number): AdminSession {
  return { id: id.padEnd(64, '0'), csrfToken: `csrf-${id}`, ip: '2001:db8::1', createdAt: T0, lastSeenAt: T0, expiresAt: at(expiresIn) };
}

for (const database of await testDatabases()) {
  describe(`session store (${database.kind})`, () => {
    test('a created session reads back exactly; touch moves its times; delete ends it', async (t) => {
      const { db } = await openTestDb(t, database);
      const store = createSessionStore(db.knex);
      const a = session('a', 60_000);
      await store.create(a);
      assert.deepEqual(await store.find(a.id), a);
      assert.equal(await store.find('b'.padEnd(64, '0')), undefined);
      await store.touch(a.id, { lastSeenAt: at(5_000), expiresAt: at(90_000) });
      assert.deepEqual(await store.find(a.id), { ...a, lastSeenAt: at(5_000), expiresAt: at(90_000) });
      await assert.rejects(store.create({ ...a, csrfToken: 'other' }), 'an id is unique');
      assert.equal(await store.delete(a.id), true);
      assert.equal(await store.delete(a.id), false);
      assert.equal(await store.find(a.id), undefined);
    });

    test('purgeExpired removes exactly the expired; deleteAll removes every one', async (t) => {
      const { db } = await openTestDb(t, database);
      const store = createSessionStore(db.knex);
      for (const [id, expiresIn] of [['old', -1], ['edge', 0], ['live', 1], ['later', 86_400_000]] as const) await store.create(session(id, expiresIn));
      assert.equal(await store.purgeExpired(T0), 2);
      const left = await db.knex('admin_sessions').orderBy('expires_at').pluck('csrf_token');
      assert.deepEqual(left, ['csrf-live', 'csrf-later']);
      assert.equal(await store.purgeExpired(T0), 0);
      assert.equal(await store.deleteAll(), 2);
      assert.equal(await store.deleteAll(), 0);
      assert.equal((await db.knex('admin_sessions').count({ n: '*' }))[0]!.n, 0);
    });
  });
}
