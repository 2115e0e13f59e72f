/**
 * Admin commands for ADMIN_USER_IDS: /grant, /revoke, /stats, and sale
 * notifications; anyone else gets no hint that they exist.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack } from '../helpers/stack.js';

const CHAT = -1001234560001;
const ADMIN = { id: 900001, first_name: 'Ada' };
const MEMBER = { id: 900002, first_name: 'Max' };
const DAY_MS = 86_400_000;

interface ApiUser { subscriptions: { status: string; expiresAt: string | null; chatIds: number[] }[] }

function textsTo(h: Awaited<ReturnType<typeof createHarness>>, chatId: number, since: number): string[] {
  return h.fake.calls({ method: 'sendMessage', token: h.token }).filter((c) => c.at >= since && Number(c.params.chat_id) === chatId).map((c) => String(c.params.text));
}

for (const database of await testDatabases()) {
  describe(`admin commands (${database.kind})`, () => {
    test('/grant and /revoke change access and queue the side effects; /stats answers; others see no hint', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Inner circle' });
      const stack = await startStack(h, { ADMIN_USER_IDS: String(ADMIN.id), PAYWALL_CHAT_ID: String(CHAT) });
      const start = Date.now();

      h.fake.userSends(h.token, { user: ADMIN, text: `/grant ${MEMBER.id} 7d` });
      await waitUntil(() => h.fake.calls({ method: 'createChatInviteLink', token: h.token }).some((c) => c.status === 200), 10_000, 'an invite link for the grantee');
      await waitUntil(() => textsTo(h, MEMBER.id, start).length > 0, 10_000, 'the grantee is told');
      await waitUntil(() => textsTo(h, ADMIN.id, start).length > 0, 10_000, 'the admin gets an answer');
      let { body } = await stack.api<ApiUser>('GET', `/api/users/${MEMBER.id}`);
      assert.equal(body.subscriptions[0]!.status, 'active');
      assert.deepEqual(body.subscriptions[0]!.chatIds, [CHAT]);
      assert.ok(Math.abs(Date.parse(body.subscriptions[0]!.expiresAt!) - (start + 7 * DAY_MS)) < 60_000);

      h.fake.setMember(h.token, { user: MEMBER, chatId: CHAT, status: 'member' });
      h.fake.userSends(h.token, { user: ADMIN, text: `/revoke ${MEMBER.id}` });
      await waitUntil(() => h.fake.chatEvents(h.token, CHAT).some((e) => e.type === 'ban'), 10_000, 'the member is removed');
      ({ body } = await stack.api<ApiUser>('GET', `/api/users/${MEMBER.id}`));
      assert.equal(body.subscriptions[0]!.status, 'revoked');

      const before = Date.now();
      h.fake.userSends(h.token, { user: ADMIN, text: '/stats' });
      await waitUntil(() => textsTo(h, ADMIN.id, before).length > 0, 10_000, 'the stats');
      assert.match(textsTo(h, ADMIN.id, before)[0]!, /\d/);

      const outsider = { id: 900003, first_name: 'Eve' };
      const asked = Date.now();
      h.fake.userSends(h.token, { user: outsider, text: `/grant ${outsider.id} lifetime` });
      h.fake.userSends(h.token, { user: outsider, text: '/stats' });
      await waitUntil(() => textsTo(h, outsider.id, asked).length >= 2, 10_000, 'the outsider gets ordinary answers');
      for (const text of textsTo(h, outsider.id, asked)) assert.doesNotMatch(text, /\/grant|\/revoke|\/stats|admin/i);
      const outsiderRecord = await stack.api<ApiUser>('GET', `/api/users/${outsider.id}`);
      assert.deepEqual(outsiderRecord.body.subscriptions, [], 'nothing granted');
      const menus = h.fake.calls({ method: 'setMyCommands', token: h.token }).map((c) => JSON.stringify(c.params.commands));
      assert.ok(menus.length >= 2, 'the menu is set for both languages');
      for (const menu of menus) assert.doesNotMatch(menu, /grant|revoke|stats/);
    });
  });
}
