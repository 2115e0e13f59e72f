/** The invite link repository on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`invite repo (${testDb.kind})`, () => {
    test('create, byLink, activeFor, setStatus stamps the time', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      const a = await store.invites.create({ inviteLink: 'https://t.me/+a', userId: 42, chatId: -1001, subscriptionId: null }, T0);
      const b = await store.invites.create({ inviteLink: 'https://t.me/+b', userId: 42, chatId: -1001, subscriptionId: null }, at(1));
      await store.invites.create({ inviteLink: 'https://t.me/+c', userId: 42, chatId: -1002, subscriptionId: null }, at(2));
      assert.deepEqual(a, { id: a.id, inviteLink: 'https://t.me/+a', userId: 42, chatId: -1001, subscriptionId: null, status: 'active' });
      assert.deepEqual(await store.invites.byLink('https://t.me/+b'), b);
      assert.equal(await store.invites.byLink('https://t.me/+none'), undefined);
      assert.deepEqual(await store.invites.activeFor(42, -1001), [a, b]);
      await store.invites.setStatus(a.id, 'used', at(10));
      await store.invites.setStatus(b.id, 'revoked', at(20));
      assert.deepEqual(await store.invites.activeFor(42, -1001), []);
      const rows = await db.knex('invite_links').whereIn('id', [a.id, b.id]).orderBy('id');
      assert.deepEqual(rows.map((r) => [r.status, r.joined_at === null ? null : Number(r.joined_at), r.revoked_at === null ? null : Number(r.revoked_at)]), [
        ['used', at(10).getTime(), null],
        ['revoked', null, at(20).getTime()],
      ]);
      await assert.rejects(store.invites.create({ inviteLink: 'https://t.me/+a', userId: 1, chatId: -1001, subscriptionId: null }, T0), 'a link is unique');
    });
  });
}
