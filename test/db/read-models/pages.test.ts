/** Broadcast history and protected chats on both databases, in the shapes the repositories give. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { at, SECOND, seedUser, T0 } from '../../helpers/store-fixture.js';
import { openReads } from './fixture.js';

for (const testDb of await testDatabases()) {
  describe(`page read models (${testDb.kind})`, () => {
    test('broadcasts: newest first, paged, each exactly as the broadcast repo reads it', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      await seedUser(store, 1);
      await seedUser(store, 2);
      const first = await store.broadcasts.create('<b>one</b>', 'all', 'admin', T0);
      const second = await store.broadcasts.create('two', 'active', 'admin', at(SECOND));
      const third = await store.broadcasts.create('three', 'expired', 'admin', at(2 * SECOND));
      await store.broadcasts.markResult(first.id, 1, true, null, at(3 * SECOND));
      await store.broadcasts.markResult(first.id, 2, false, 'blocked', at(3 * SECOND));
      await store.broadcasts.setStatus(first.id, 'done', at(4 * SECOND));

      const all = await reads.broadcasts({ offset: 0, limit: 50 });
      assert.equal(all.total, 3);
      assert.deepEqual(all.items, [await store.broadcasts.get(third.id), await store.broadcasts.get(second.id), await store.broadcasts.get(first.id)]);
      assert.deepEqual([all.items[2]?.total, all.items[2]?.sent, all.items[2]?.failed, all.items[2]?.status, all.items[2]?.finishedAt], [2, 1, 1, 'done', at(4 * SECOND)]);
      const page = await reads.broadcasts({ offset: 1, limit: 1 });
      assert.deepEqual([page.total, page.items.map((b) => b.id)], [3, [second.id]]);
    });

    test('chats: the protected chats as the chat repo lists them', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      assert.deepEqual(await reads.chats(), []);
      await store.chats.upsert({ chatId: -1002, title: 'VIP', botStatus: 'member', canInviteUsers: false, canRestrictMembers: false, checkedAt: T0 });
      await store.chats.upsert({ chatId: -1001, title: null, botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: true, checkedAt: null });
      const chats = await reads.chats();
      assert.deepEqual(chats, await store.chats.list());
      assert.deepEqual(chats.map((c) => [c.chatId, c.title, c.canRestrictMembers]), [[-1002, 'VIP', false], [-1001, null, true]]);
    });
  });
}
