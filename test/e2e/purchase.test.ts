/**
 * Buying access, end to end: `/start plan_<id>` → Stars invoice → pre-checkout
 * → successful_payment → active subscription → invite link → join request
 * approved and the link revoked. Real processes, the fake server, both databases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack } from '../helpers/stack.js';

const CHAT = -1001234567001;
const DAY_MS = 86_400_000;

interface ApiUser {
  id: number;
  subscriptions: { status: string; planId: number | null; expiresAt: string | null; chatIds: number[] }[];
  payments: { chargeId: string; amount: number; status: string }[];
}

for (const database of await testDatabases()) {
  describe(`buying a plan (${database.kind})`, () => {
    test('deep link → invoice → payment → subscription → invite → join approved, link revoked; a stranger is declined', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'VIP Lounge' });
      const added = await h.run(['plans', 'add', '--title', 'Monthly VIP', '--price', '50', '--duration', '30d', '--chat', String(CHAT)]);
      assert.equal(added.code, 0, added.stderr);
      const planId = Number(added.stdout.trim());
      const stack = await startStack(h);

      const user = { id: 424242, first_name: 'Paz', language_code: 'en' };
      h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
      const invoice = await h.fake.waitForCall({ method: 'sendInvoice', token: h.token, status: 200 }, 10_000);
      assert.equal(invoice.params.currency, 'XTR');
      const prices = typeof invoice.params.prices === 'string' ? JSON.parse(invoice.params.prices) : invoice.params.prices;
      assert.deepEqual(prices.map((p: { amount: number }) => p.amount), [50]);
      assert.ok(!invoice.params.provider_token, 'no provider token for Stars');
      assert.ok(String(invoice.params.payload).length <= 128);

      const before = Date.now();
      const paid = await h.fake.pay(h.token, { user, invoice: 'last' });
      assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
      const answer = h.fake.calls({ method: 'answerPreCheckoutQuery', token: h.token })[0]!;
      assert.ok(answer.at - before < 1_000, 'pre-checkout answered within a second');

      const confirmation = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id && JSON.stringify(c.params.reply_markup ?? '').includes('t.me/+'), 10_000);
      const link = await h.fake.waitForCall({ method: 'createChatInviteLink', token: h.token, status: 200 }, 1_000);
      assert.equal(link.params.creates_join_request, true);
      const inviteLink = (link.response as { result: { invite_link: string } }).result.invite_link;
      assert.ok(JSON.stringify(confirmation.params.reply_markup).includes(inviteLink));

      const { body: stored } = await stack.api<ApiUser>('GET', `/api/users/${user.id}`);
      assert.equal(stored.payments.length, 1);
      assert.equal(stored.payments[0]!.amount, 50);
      const sub = stored.subscriptions.find((s) => s.planId === planId)!;
      assert.equal(sub.status, 'active');
      const expiry = Date.parse(sub.expiresAt!);
      assert.ok(Math.abs(expiry - (before + 30 * DAY_MS)) < 60_000, `expiry ${sub.expiresAt}`);
      assert.deepEqual(sub.chatIds, [CHAT]);

      h.fake.requestJoin(h.token, { user, chatId: CHAT, inviteLink });
      await h.fake.waitForCall({ method: 'approveChatJoinRequest', token: h.token }, 10_000);
      await h.fake.waitForCall({ method: 'revokeChatInviteLink', token: h.token }, 10_000);
      assert.equal(h.fake.memberStatus(h.token, CHAT, user.id), 'member');

      const stranger = { id: 515151, first_name: 'Nope' };
      h.fake.requestJoin(h.token, { user: stranger, chatId: CHAT });
      const declined = await h.fake.waitForCall({ method: 'declineChatJoinRequest', token: h.token }, 10_000);
      assert.equal(Number(declined.params.user_id), stranger.id);
      h.assertNoTokenLeak();
    });

    test('the /plans button path sells too, and a second purchase extends from the current expiry', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'channel', title: 'News' });
      const added = await h.run(['plans', 'add', '--title', 'Week', '--price', '7', '--duration', '7d', '--chat', String(CHAT)]);
      const planId = Number(added.stdout.trim());
      const stack = await startStack(h);
      const user = { id: 434343, first_name: 'Bo' };

      for (let round = 1; round <= 2; round += 1) {
        const since = h.fake.calls().length;
        h.fake.userSends(h.token, { user, text: '/plans' });
        const list = await h.fake.waitForCall((c) => c.method === 'sendMessage' && JSON.stringify(c.params.reply_markup ?? '').includes(`buy:${planId}`), 10_000, { since });
        assert.ok(list);
        h.fake.userPresses(h.token, { user, data: `buy:${planId}` });
        await h.fake.waitForCall({ method: 'sendInvoice', token: h.token }, 10_000, { since });
        assert.equal((await h.fake.pay(h.token, { user, invoice: 'last' })).outcome, 'paid');
        await waitUntil(async () => (await stack.api<ApiUser>('GET', `/api/users/${user.id}`)).body.payments?.length === round, 10_000, `payment ${round} recorded`);
      }
      const { body } = await stack.api<ApiUser>('GET', `/api/users/${user.id}`);
      const sub = body.subscriptions.find((s) => s.planId === planId)!;
      const firstPaid = Date.now();
      assert.ok(Math.abs(Date.parse(sub.expiresAt!) - (firstPaid + 14 * DAY_MS)) < 60_000, 'two weeks from the first purchase');
    });
  });
}
