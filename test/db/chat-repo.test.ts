/** The chat repository on both databases: protected chats and membership. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`chat repo (${testDb.kind})`, () => {
    test('upsert, get, list; setMember and memberStatus', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const chat = { chatId: -1001234567890, title: 'VIP', botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: false, checkedAt: T0 };
      await store.chats.upsert(chat);
      await store.chats.upsert({ ...chat, chatId: -1002, title: null, botStatus: null, checkedAt: null });
      assert.deepEqual(await store.chats.get(chat.chatId), chat);
      const changed = { ...chat, title: 'VIP 2', canRestrictMembers: true, checkedAt: at(1000) };
      await store.chats.upsert(changed);
      assert.deepEqual(await store.chats.list(), [changed, { ...chat, chatId: -1002, title: null, botStatus: null, checkedAt: null }]);
      assert.equal(await store.chats.get(-5), undefined);

      assert.equal(await store.chats.memberStatus(chat.chatId, 42), undefined);
      await store.chats.setMember(chat.chatId, 42, 'member', T0);
      await store.chats.setMember(chat.chatId, 42, 'left', at(1));
      await store.chats.setMember(-1002, 42, 'member', at(1));
      assert.equal(await store.chats.memberStatus(chat.chatId, 42), 'left');
      assert.equal(await store.chats.memberStatus(-1002, 42), 'member');
    });
  });
}
