/**
 * The rules of checkout, end to end (real `paywall bot` and `paywall dashboard`
 * processes, the fake Telegram server, every test database):
 * - a tampered or stale pre-checkout is declined (ok: false with a message the
 *   user understands) and nothing is recorded;
 * - texts follow the user's language_code (Spanish for `es`, English otherwise);
 * - a payment is recorded exactly once: a duplicate successful_payment, or the
 *   same update delivered again after a crash, changes nothing; a charge for an
 *   order that is no longer pending still grants its plan.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import { EN_DEFAULTS } from '../../src/paywall/texts/defaults-en.js';
import { ES_DEFAULTS } from '../../src/paywall/texts/defaults-es.js';
import type { BotRights } from '../fake-telegram/chat-types.js';
import type { PayResult, PreCheckoutAnswer } from '../fake-telegram/payment-types.js';
import type { FakeUser, RecordedCall } from '../fake-telegram/types.js';
import type { PaywallProcess } from '../helpers/cli.js';
import { testDatabases, type TestDatabase } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const CHAT = -1001234567101;
const DAY_MS = 86_400_000;
const PRICE = 25;
const TERM_MS = 30 * DAY_MS;
/** How long to leave the bot to do something it must not do (a second confirmation…). */
const SETTLE_MS = 1_500;

interface ApiUser {
  id: number;
  subscriptions: { status: string; planId: number | null; expiresAt: string | null; chatIds: number[] }[];
  payments: { chargeId: string; amount: number; status: string }[];
}

interface ApiStats {
  users: number;
  activeSubscribers: number;
  revenueStars: number;
  payments: number;
}

interface Setup {
  h: Harness;
  stack: Stack;
  planId: number;
}

/** A harness with one protected chat and one 30-day plan for it, and a running stack. */
async function setup(t: TestContext, database: TestDatabase, botRights?: BotRights): Promise<Setup> {
  const h = await createHarness(t, database);
  h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Members Only', ...(botRights ? { botRights } : {}) });
  const added = await h.run(['plans', 'add', '--title', 'Monthly', '--price', String(PRICE), '--duration', '30d', '--chat', String(CHAT)]);
  assert.equal(added.code, 0, added.stderr);
  const planId = Number(added.stdout.trim());
  assert.ok(Number.isInteger(planId) && planId > 0, `plan id ${added.stdout}`);
  const stack = await startStack(h);
  return { h, stack, planId };
}

/** The user opens the plan's deep link; resolves with the payload of the invoice the bot sent them. */
async function requestInvoice(h: Harness, user: FakeUser, planId: number): Promise<string> {
  const since = h.fake.calls().length;
  h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
  const call = await h.fake.waitForCall((c) => c.method === 'sendInvoice' && c.token === h.token && Number(c.params.chat_id) === user.id && c.status === 200, 10_000, { since });
  const payload = String(call.params.payload);
  assert.ok(payload.length > 0 && Buffer.byteLength(payload) <= 128);
  return payload;
}

/** The answerPreCheckoutQuery call for a query id. */
function answerCall(h: Harness, queryId: string): RecordedCall {
  const calls = h.fake.calls({ method: 'answerPreCheckoutQuery', token: h.token }).filter((c) => String(c.params.pre_checkout_query_id) === queryId);
  assert.equal(calls.length, 1, `one answer to pre-checkout query ${queryId}`);
  return calls[0]!;
}

/** Asserts the bot declined the query within a second: ok false, with a non-empty error_message; returns that message. */
function assertDeclined(h: Harness, answer: PreCheckoutAnswer): string {
  assert.equal(answer.timedOut, false, 'the pre-checkout query was answered in time');
  assert.equal(answer.ok, false, 'the pre-checkout query was declined');
  assert.ok(answer.answerMs !== undefined && answer.answerMs < 1_000, `answered within a second (${answer.answerMs} ms)`);
  const call = answerCall(h, answer.queryId);
  assert.equal(call.status, 200, JSON.stringify(call.response));
  assert.ok(call.params.ok === false || call.params.ok === 'false', `ok: ${JSON.stringify(call.params.ok)}`);
  const message = String(call.params.error_message ?? '');
  assert.ok(message.trim().length > 0, 'a non-empty error_message');
  assert.equal(answer.errorMessage, message);
  assert.ok(!/<[a-z/][^>]*>/i.test(message), `error_message is plain text: ${message}`);
  return message;
}

/** fake.pay's outcome, as the shape assertDeclined reads. */
function payAnswer(result: PayResult): PreCheckoutAnswer {
  return {
    queryId: result.preCheckoutQueryId,
    updateId: result.paymentUpdateId ?? 0,
    ok: result.outcome === 'paid',
    timedOut: result.outcome === 'timeout',
    ...(result.errorMessage === undefined ? {} : { errorMessage: result.errorMessage }),
    ...(result.answerMs === undefined ? {} : { answerMs: result.answerMs }),
  };
}

/** No update made a feature fail (the bot logs each such failure). */
function assertNoHandlerErrors(...bots: PaywallProcess[]): void {
  for (const bot of bots) assert.doesNotMatch(bot.stderr(), /Handling an update failed|Pre-checkout check failed/);
}

/** The user as the JSON API shows them; undefined when the API does not know them (404). */
async function apiUser(stack: Stack, userId: number): Promise<ApiUser | undefined> {
  const { status, body } = await stack.api<ApiUser>('GET', `/api/users/${userId}`);
  if (status === 404) return undefined;
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

/** Asserts that no payment, charge or subscription exists for these users, nor at all. */
async function assertNothingRecorded(h: Harness, stack: Stack, userIds: number[]): Promise<void> {
  for (const userId of userIds) {
    const user = await apiUser(stack, userId);
    if (!user) continue;
    assert.deepEqual(user.payments, [], `no payment for user ${userId}`);
    assert.deepEqual(user.subscriptions.filter((s) => s.status === 'active'), [], `no active subscription for user ${userId}`);
  }
  const { status, body: stats } = await stack.api<ApiStats>('GET', '/api/stats');
  assert.equal(status, 200, JSON.stringify(stats));
  assert.equal(stats.payments, 0);
  assert.equal(stats.revenueStars, 0);
  assert.equal(stats.activeSubscribers, 0);
  assert.deepEqual(h.fake.starCharges(h.token), [], 'Telegram charged nobody');
  assert.equal(h.fake.calls({ method: 'createChatInviteLink', token: h.token }).length, 0, 'no invite link was made');
  assertNoHandlerErrors(stack.bot);
}

/** Waits until the API shows `count` payments for the user; returns the user. */
async function waitForPayments(stack: Stack, userId: number, count: number): Promise<ApiUser> {
  let user: ApiUser | undefined;
  await waitUntil(async () => (user = await apiUser(stack, userId))?.payments.length === count, 10_000, `${count} payment(s) recorded for user ${userId}`);
  return user!;
}

/** Successful sendMessage calls to the user that carry an invite link: the confirmations. */
function confirmations(h: Harness, userId: number): RecordedCall[] {
  return h.fake.calls({ method: 'sendMessage', token: h.token })
    .filter((c) => Number(c.params.chat_id) === userId && c.status === 200 && JSON.stringify(c.params.reply_markup ?? '').includes('t.me/+'));
}

async function waitForConfirmations(h: Harness, userId: number, count: number): Promise<void> {
  await waitUntil(() => confirmations(h, userId).length >= count, 10_000, `${count} confirmation(s) with an invite link sent to user ${userId}`);
}

/** Waits until the bot has confirmed (by its getUpdates offset) every update up to and including updateId: it handled them. */
async function waitForHandled(h: Harness, updateId: number): Promise<void> {
  await waitUntil(() => h.fake.lastConfirmedOffset(h.token) > updateId, 10_000, `update ${updateId} handled and confirmed`);
}

/** The plan's subscription of the user; asserts its expiry is `terms` plan durations after `from` (±60 s). */
function assertExpiry(user: ApiUser, planId: number, from: number, terms: number): void {
  const subs = user.subscriptions.filter((s) => s.planId === planId);
  assert.equal(subs.length, 1, JSON.stringify(user.subscriptions));
  assert.equal(subs[0]!.status, 'active');
  const expiry = Date.parse(subs[0]!.expiresAt ?? '');
  const expected = from + terms * TERM_MS;
  assert.ok(Math.abs(expiry - expected) < 60_000, `expiry ${subs[0]!.expiresAt} should be ${terms} × 30 days after ${new Date(from).toISOString()}`);
}

async function stats(stack: Stack): Promise<ApiStats> {
  const { status, body } = await stack.api<ApiStats>('GET', '/api/stats');
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

for (const database of await testDatabases()) {
  describe(`checkout rules (${database.kind})`, () => {
    describe('a tampered or stale pre-checkout is declined and nothing is recorded', () => {
      test('wrong amount', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610001, first_name: 'Ana', language_code: 'en' };
        await requestInvoice(h, user, planId);
        const result = await h.fake.pay(h.token, { user, invoice: 'last', overrideQuery: { total_amount: PRICE - 1 } });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        // Paying more than the invoice says is no better.
        const more = await h.fake.pay(h.token, { user, invoice: 'last', overrideQuery: { total_amount: PRICE + 100 } });
        assertDeclined(h, payAnswer(more));
        await assertNothingRecorded(h, stack, [user.id]);
        h.assertNoTokenLeak();
      });

      test('wrong currency', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610002, first_name: 'Ben' };
        await requestInvoice(h, user, planId);
        const result = await h.fake.pay(h.token, { user, invoice: 'last', overrideQuery: { currency: 'USD' } });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        await assertNothingRecorded(h, stack, [user.id]);
      });

      test('an unknown payload', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610003, first_name: 'Cleo' };
        const real = await requestInvoice(h, user, planId);
        for (const payload of [`o${randomBytes(24).toString('base64url')}`, `${real}x`, 'plan_1', '']) {
          const answer = await h.fake.sendPreCheckout(h.token, { user, currency: 'XTR', total_amount: PRICE, invoice_payload: payload });
          assertDeclined(h, answer);
        }
        await assertNothingRecorded(h, stack, [user.id]);
      });

      test("another user's payload (user B pays user A's invoice)", async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const alice = { id: 610004, first_name: 'Alice' };
        const bob = { id: 610005, first_name: 'Bob' };
        const payload = await requestInvoice(h, alice, planId);
        const result = await h.fake.pay(h.token, { user: bob, invoice: { payload } });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        await assertNothingRecorded(h, stack, [alice.id, bob.id]);
        // Bob's attempt did not use up Alice's order: she can still pay it.
        const paid = await h.fake.pay(h.token, { user: alice, invoice: { payload } });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        await waitForPayments(stack, alice.id, 1);
        const bobNow = await apiUser(stack, bob.id);
        assert.deepEqual(bobNow?.payments ?? [], []);
        assert.deepEqual((bobNow?.subscriptions ?? []).filter((s) => s.status === 'active'), []);
      });

      test('a plan disabled after the invoice was sent', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610006, first_name: 'Dora' };
        await requestInvoice(h, user, planId);
        const disabled = await h.run(['plans', 'disable', String(planId)]);
        assert.equal(disabled.code, 0, disabled.stderr);
        const result = await h.fake.pay(h.token, { user, invoice: 'last' });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        await assertNothingRecorded(h, stack, [user.id]);
      });

      test('an order already paid: declined, pointing to /plans', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610007, first_name: 'Eli', language_code: 'en' };
        const payload = await requestInvoice(h, user, planId);
        const before = Date.now();
        const first = await h.fake.pay(h.token, { user, invoice: { payload } });
        assert.equal(first.outcome, 'paid', JSON.stringify(first));
        await waitForPayments(stack, user.id, 1);

        // The same invoice again: Telegram lets the user pay it twice, the bot must not.
        const again = await h.fake.sendPreCheckout(h.token, { user, currency: 'XTR', total_amount: PRICE, invoice_payload: payload });
        const message = assertDeclined(h, again);
        assert.match(message, /\/plans/, `the message points to /plans: ${message}`);
        const viaPay = await h.fake.pay(h.token, { user, invoice: { payload } });
        assert.equal(viaPay.outcome, 'declined', JSON.stringify(viaPay));
        assert.match(assertDeclined(h, payAnswer(viaPay)), /\/plans/);

        assert.equal(h.fake.starCharges(h.token).length, 1, 'charged once');
        const stored = await waitForPayments(stack, user.id, 1);
        assertExpiry(stored, planId, before, 1);
        assert.equal((await stats(stack)).payments, 1);
      });

      test('a chat where the bot lacks rights (read at start)', async (t) => {
        const { h, stack, planId } = await setup(t, database, { status: 'administrator', can_invite_users: false, can_restrict_members: true });
        const user = { id: 610008, first_name: 'Fay' };
        await requestInvoice(h, user, planId);
        const result = await h.fake.pay(h.token, { user, invoice: 'last' });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        await assertNothingRecorded(h, stack, [user.id]);
      });

      test('a chat where the bot lost its rights (my_chat_member while running)', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 610009, first_name: 'Gus' };
        await requestInvoice(h, user, planId);
        const updateId = h.fake.setBotRights(h.token, CHAT, { status: 'administrator', can_invite_users: false, can_restrict_members: true });
        assert.ok(updateId !== undefined, 'a my_chat_member update was pushed');
        await waitForHandled(h, updateId);
        const result = await h.fake.pay(h.token, { user, invoice: 'last' });
        assert.equal(result.outcome, 'declined', JSON.stringify(result));
        assertDeclined(h, payAnswer(result));
        await assertNothingRecorded(h, stack, [user.id]);

        // Rights given back: the same invoice sells again.
        const back = h.fake.setBotRights(h.token, CHAT, { status: 'administrator', can_invite_users: true, can_restrict_members: true });
        await waitForHandled(h, back!);
        const paid = await h.fake.pay(h.token, { user, invoice: 'last' });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        await waitForPayments(stack, user.id, 1);
      });
    });

    test('languages: Spanish for language_code es, English for de', async (t) => {
      const { h, stack, planId } = await setup(t, database);
      const es = { id: 620001, first_name: 'Lucía', language_code: 'es' };
      const de = { id: 620002, first_name: 'Jonas', language_code: 'de' };
      const greeting = async (user: FakeUser): Promise<string> => {
        const since = h.fake.calls().length;
        h.fake.userSends(h.token, { user, text: '/start' });
        const call = await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id && c.status === 200, 10_000, { since });
        return String(call.params.text);
      };
      const spanish = await greeting(es);
      assert.ok(spanish.startsWith(ES_DEFAULTS['start.greeting']), `Spanish greeting: ${spanish}`);
      assert.match(spanish, /bienvenida/);
      const english = await greeting(de);
      assert.ok(english.startsWith(EN_DEFAULTS['start.greeting']), `English greeting: ${english}`);
      assert.doesNotMatch(english, /bienvenida/);

      // A declined pre-checkout speaks the user's language too.
      await requestInvoice(h, es, planId);
      const declined = await h.fake.pay(h.token, { user: es, invoice: 'last', overrideQuery: { total_amount: PRICE + 1 } });
      const message = assertDeclined(h, payAnswer(declined));
      assert.match(message, /No se te ha cobrado/, message);
      assertNoHandlerErrors(stack.bot);
    });

    describe('a payment is recorded exactly once', () => {
      test('the same successful_payment delivered twice: one payment, one term, one confirmation', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 630001, first_name: 'Hana', language_code: 'en' };
        await requestInvoice(h, user, planId);
        const before = Date.now();
        const paid = await h.fake.pay(h.token, { user, invoice: 'last' });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        await waitForConfirmations(h, user.id, 1);

        const duplicate = h.fake.deliverSuccessfulPayment(h.token, { user, chargeId: paid.chargeId! });
        assert.equal(duplicate.chargeId, paid.chargeId);
        assert.notEqual(duplicate.updateId, paid.paymentUpdateId);
        await waitForHandled(h, duplicate.updateId);
        await sleep(SETTLE_MS);

        const stored = await waitForPayments(stack, user.id, 1);
        assert.equal(stored.payments[0]!.chargeId, paid.chargeId);
        assertExpiry(stored, planId, before, 1);
        assert.equal((await stats(stack)).payments, 1);
        assert.equal(confirmations(h, user.id).length, 1, 'one confirmation');
        assert.equal(h.fake.calls({ method: 'createChatInviteLink', token: h.token }).length, 1, 'one invite link');
        assertNoHandlerErrors(stack.bot);
      });

      test('the same update delivered again after a crash before its offset was confirmed', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 630002, first_name: 'Ivo' };
        await requestInvoice(h, user, planId);
        const before = Date.now();
        // Charged, but the successful_payment update is held back for now.
        const paid = await h.fake.pay(h.token, { user, invoice: 'last', deliverPayment: false });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        // Once the bot waits in a long poll, its next getUpdates (the one that would confirm
        // the payment's update) answers 429 retry after 30 s: the update stays unconfirmed.
        await waitUntil(() => h.fake.activePolls(h.token) === 1, 10_000, 'the bot waits in a long poll');
        h.fake.failNext({ method: 'getUpdates', token: h.token, errorCode: 429, retryAfter: 30 });
        const paymentUpdateId = h.fake.deliverHeldPayment(h.token, paid.chargeId!);
        await h.fake.waitForCall({ method: 'getUpdates', token: h.token, status: 429 }, 10_000);
        await waitForConfirmations(h, user.id, 1);
        await waitForPayments(stack, user.id, 1);
        assert.ok(h.fake.lastConfirmedOffset(h.token) <= paymentUpdateId, 'the payment update is not confirmed yet');

        const firstBot = stack.bot;
        firstBot.kill('SIGKILL');
        await firstBot.waitForExit(10_000);
        assert.ok(h.fake.pendingUpdates(h.token) >= 1, 'Telegram still holds the payment update');

        const since = h.fake.calls().length;
        const secondBot = h.spawn(['bot'], { env: { DASHBOARD_PASSWORD: TEST_PASSWORD } });
        await secondBot.waitForOutput(/"msg":"Polling for updates"/, 20_000);
        const redelivered = await h.fake.waitForCall(
          (c) => c.method === 'getUpdates' && c.status === 200 && JSON.stringify(c.response).includes(`"update_id":${paymentUpdateId}`),
          10_000, { since },
        );
        assert.ok(redelivered, 'the same update (same update_id) was delivered to the new bot');
        await waitForHandled(h, paymentUpdateId);
        await sleep(SETTLE_MS);

        const stored = await waitForPayments(stack, user.id, 1);
        assert.equal(stored.payments[0]!.chargeId, paid.chargeId);
        assertExpiry(stored, planId, before, 1);
        assert.equal((await stats(stack)).payments, 1);
        assert.equal(confirmations(h, user.id).length, 1, 'one confirmation');
        assert.equal(h.fake.calls({ method: 'createChatInviteLink', token: h.token }).length, 1, 'one invite link');
        assert.match(secondBot.stderr(), /A payment seen before: nothing changed/);
        assertNoHandlerErrors(firstBot, secondBot);
        h.assertNoTokenLeak();
      });

      test('a charge for an order that is no longer pending still grants its plan', async (t) => {
        const { h, stack, planId } = await setup(t, database);
        const user = { id: 630003, first_name: 'Jin' };
        const payload = await requestInvoice(h, user, planId);
        const before = Date.now();
        const paid = await h.fake.pay(h.token, { user, invoice: { payload } });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        await waitForPayments(stack, user.id, 1);

        // Telegram charged the same invoice again (a second payment of one invoice): a new charge id.
        const second = h.fake.deliverSuccessfulPayment(h.token, { user, payload, amount: PRICE });
        assert.notEqual(second.chargeId, paid.chargeId);
        const stored = await waitForPayments(stack, user.id, 2);
        assert.deepEqual(stored.payments.map((p) => p.chargeId).sort(), [paid.chargeId, second.chargeId].sort());
        assert.ok(stored.payments.every((p) => p.amount === PRICE && p.status === 'paid'));
        assertExpiry(stored, planId, before, 2);
        const totals = await stats(stack);
        assert.equal(totals.payments, 2);
        assert.equal(totals.revenueStars, 2 * PRICE);
        await waitForConfirmations(h, user.id, 2);
        await sleep(SETTLE_MS);
        assert.equal(confirmations(h, user.id).length, 2, 'one confirmation per charge');
        assertNoHandlerErrors(stack.bot);
      });
    });
  });
}
