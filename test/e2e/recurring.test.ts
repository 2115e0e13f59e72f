/**
 * Recurring plans: sold as a Telegram Star subscription (createInvoiceLink
 * with subscription_period 2592000, sent as a button), renewed by payments
 * with is_recurring, and cancelled (editUserStarSubscription) by a refund.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack } from '../helpers/stack.js';

const CHAT = -1001234567777;
const DAY_MS = 86_400_000;

interface ApiUser {
  subscriptions: { planId: number | null; status: string; expiresAt: string | null }[];
  payments: { chargeId: string; status: string }[];
}

for (const database of await testDatabases()) {
  describe(`recurring plans (${database.kind})`, () => {
    test('subscription link, first payment, renewal, refund cancels the Star subscription', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'channel', title: 'Monthly club' });
      const added = await h.run(['plans', 'add', '--title', 'Club', '--price', '100', '--duration', '30d', '--chat', String(CHAT), '--recurring']);
      assert.equal(added.code, 0, added.stderr);
      const planId = Number(added.stdout.trim());
      const stack = await startStack(h);
      const user = { id: 777001, first_name: 'Rita' };

      h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
      const linkCall = await h.fake.waitForCall({ method: 'createInvoiceLink', token: h.token, status: 200 }, 10_000);
      assert.equal(Number(linkCall.params.subscription_period), 2_592_000);
      assert.equal(linkCall.params.currency, 'XTR');
      assert.equal(h.fake.calls({ method: 'sendInvoice' }).length, 0, 'a recurring plan is not sold by sendInvoice');
      const link = (linkCall.response as { result: string }).result;
      const offer = await h.fake.waitForCall((c) => c.method === 'sendMessage' && JSON.stringify(c.params.reply_markup ?? '').includes(link), 10_000);
      assert.ok(offer);

      const first = await h.fake.pay(h.token, { user, invoice: { link } });
      assert.equal(first.outcome, 'paid');
      await waitUntil(async () => (await stack.api<ApiUser>('GET', `/api/users/${user.id}`)).body.payments?.length === 1, 10_000, 'first payment recorded');

      const payload = (h.fake.invoices(h.token).at(-1) as { payload: string }).payload;
      h.fake.deliverSuccessfulPayment(h.token, { user, payload, amount: 100, isRecurring: true, subscriptionPeriod: 2_592_000 });
      await waitUntil(async () => (await stack.api<ApiUser>('GET', `/api/users/${user.id}`)).body.payments?.length === 2, 10_000, 'renewal recorded');
      const { body } = await stack.api<ApiUser>('GET', `/api/users/${user.id}`);
      const sub = body.subscriptions.find((s) => s.planId === planId)!;
      assert.ok(Math.abs(Date.parse(sub.expiresAt!) - (Date.now() + 60 * DAY_MS)) < 120_000, 'the renewal extends by 30 days');

      const refund = await stack.api<{ jobId: number }>('POST', `/api/payments/${encodeURIComponent(first.chargeId!)}/refund`);
      assert.equal(refund.status, 202);
      const cancel = await h.fake.waitForCall({ method: 'editUserStarSubscription', token: h.token }, 10_000);
      assert.equal(Number(cancel.params.user_id), user.id);
      assert.equal(cancel.params.is_canceled, true);
      h.assertNoTokenLeak();
    });
  });
}
