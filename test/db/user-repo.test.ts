/** The user repository on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, DAY, openTestStore, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`user repo (${testDb.kind})`, () => {
    test('touch inserts, then refreshes the profile and last_seen_at but keeps first_seen_at', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const first = await store.users.touch({ id: 7_000_000_001, username: 'ann', firstName: 'Ann', lastName: 'Lee', languageCode: 'es' }, T0);
      assert.deepEqual(first, {
        id: 7_000_000_001, username: 'ann', firstName: 'Ann', lastName: 'Lee', languageCode: 'es', blocked: false, firstSeenAt: T0, lastSeenAt: T0,
      });
      const later = await store.users.touch({ id: 7_000_000_001, firstName: 'Annie', languageCode: 'en' }, at(DAY));
      assert.deepEqual(later, {
        id: 7_000_000_001, username: null, firstName: 'Annie', lastName: null, languageCode: 'en', blocked: false, firstSeenAt: T0, lastSeenAt: at(DAY),
      });
      assert.deepEqual(await store.users.get(7_000_000_001), later);
      assert.equal(await store.users.get(1), undefined);
    });

    test('lock holds a second transaction for the same user until the first ends; another user is not held', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await store.users.touch({ id: 11, firstName: 'Locked' }, T0);
      await store.users.touch({ id: 12, firstName: 'Free' }, T0);
      const order: string[] = [];
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => { releaseFirst = resolve; });
      let firstLocked!: () => void;
      const locked = new Promise<void>((resolve) => { firstLocked = resolve; });
      const first = store.transaction(async (tx) => {
        await tx.users.lock(11);
        order.push('first locked');
        firstLocked();
        await firstHolds;
        order.push('first ends');
      });
      await locked;
      if (testDb.kind === 'postgres') {
        // SQLite's transactions are serialised as a whole (the write lock at their start): nothing to hold per user.
        const other = await store.transaction(async (tx) => { await tx.users.lock(12); return 'other user'; });
        assert.equal(other, 'other user', 'another user is not held');
      }
      const second = store.transaction(async (tx) => {
        await tx.users.lock(11);
        order.push('second locked');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(order, ['first locked'], 'the second waits');
      releaseFirst();
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first locked', 'first ends', 'second locked']);
    });

    test('setBlocked marks and unmarks; any touch clears the mark', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      await store.users.touch({ id: 5, firstName: 'Bo' }, T0);
      await store.users.setBlocked(5, true, at(1000));
      assert.equal((await store.users.get(5))?.blocked, true);
      assert.equal(Number((await db.knex('users').where({ id: 5 }).first()).blocked_at), at(1000).getTime());
      const touched = await store.users.touch({ id: 5, firstName: 'Bo' }, at(2000));
      assert.equal(touched.blocked, false);
      assert.equal((await db.knex('users').where({ id: 5 }).first()).blocked_at, null);
      await store.users.setBlocked(5, true, at(3000));
      await store.users.setBlocked(5, false, at(4000));
      assert.equal((await store.users.get(5))?.blocked, false);
      assert.equal((await db.knex('users').where({ id: 5 }).first()).blocked_at, null);
    });

    test('ensure creates an unseen user and never changes an existing one', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const created = await store.users.ensure(9, T0);
      assert.deepEqual(created, { id: 9, username: null, firstName: null, lastName: null, languageCode: null, blocked: false, firstSeenAt: T0, lastSeenAt: null });
      assert.deepEqual(await store.users.ensure(9, at(DAY)), created);
      const seen = await store.users.touch({ id: 10, username: 'cy', firstName: 'Cy' }, T0);
      await store.users.setBlocked(10, true, at(1));
      assert.deepEqual(await store.users.ensure(10, at(DAY)), { ...seen, blocked: true });
    });
  });
}
