/**
 * A subscription's life after the purchase, end to end (real `paywall bot` and
 * `paywall dashboard`, the fake server, every test database):
 * - expiry: one reminder at 80% of a short term, then removal from every
 *   protected chat (ban, then unban only_if_banned), the notice with a renewal
 *   button, `expired` in the API, and nothing sent twice;
 * - refunds: by an admin through the API (refundStarPayment) and reported by
 *   Telegram (refunded_payment), each taking back the time its payment bought;
 *   a second refund is refused and changes nothing;
 * - a user who blocked the bot: marked on the first 403, never messaged again,
 *   still removed at expiry; any update from them clears the mark.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EN_DEFAULTS } from '../../src/paywall/texts/defaults-en.js';
import type { TextKey } from '../../src/paywall/texts/keys.js';
import type { FakeUser, RecordedCall } from '../fake-telegram/index.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const CHAT_A = -1001234567101;
const CHAT_B = -1001234567102;
const DAY_MS = 86_400_000;
const SWEEP = { PAYWALL_SWEEP_INTERVAL: '1s' };

interface ApiSubscription { id: number; planId: number | null; chatIds: number[]; status: string; startsAt: string; expiresAt: string | null }
interface ApiPayment { chargeId: string; userId: number; amount: number; status: string; refundedAt: string | null }
interface ApiUser { id: number; blocked: boolean; subscriptions: ApiSubscription[]; payments: ApiPayment[] }

/** The fixed opening of an English default text (up to its first tag or placeholder). */
function opening(key: TextKey): string {
  const head = EN_DEFAULTS[key].split(/[<{]/)[0]!;
  assert.ok(head.length >= 2, `the text ${key} has a recognisable opening`);
  return head;
}

const toUser = (userId: number) => (c: RecordedCall) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId;
const isText = (userId: number, key: TextKey) => (c: RecordedCall) => toUser(userId)(c) && String(c.params.text).startsWith(opening(key));

function callbackData(call: RecordedCall): string[] {
  const raw = call.params.reply_markup;
  const markup = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data).filter((d): d is string => typeof d === 'string');
}

async function addPlan(h: Harness, duration: string, chats: number[]): Promise<number> {
  const added = await h.run(['plans', 'add', '--title', `Plan ${duration}`, '--price', '25', '--duration', duration, ...chats.flatMap((c) => ['--chat', String(c)])]);
  assert.equal(added.code, 0, added.stderr);
  return Number(added.stdout.trim());
}

async function getUser(stack: Stack, userId: number): Promise<ApiUser> {
  const res = await stack.api<ApiUser>('GET', `/api/users/${userId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Buys the plan through its deep link and waits until the payment is recorded; returns the charge id. */
async function buy(h: Harness, stack: Stack, user: FakeUser, planId: number): Promise<string> {
  const since = h.fake.calls().length;
  const paymentsBefore = h.fake.starCharges(h.token).length;
  h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
  await h.fake.waitForCall({ method: 'sendInvoice', token: h.token, status: 200 }, 10_000, { since });
  const paid = await h.fake.pay(h.token, { user, invoice: 'last' });
  assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
  assert.equal(h.fake.starCharges(h.token).length, paymentsBefore + 1);
  await waitUntil(async () => (await getUser(stack, user.id)).payments.some((p) => p.chargeId === paid.chargeId), 10_000, `payment ${paid.chargeId} recorded`);
  return paid.chargeId!;
}

function subscriptionOf(user: ApiUser, planId: number): ApiSubscription {
  const sub = user.subscriptions.find((s) => s.planId === planId);
  assert.ok(sub, `a subscription to plan ${planId}: ${JSON.stringify(user.subscriptions)}`);
  return sub;
}

/** What a refund may change: subscriptions and payments (lastSeenAt moves with every update). */
function accountOf(user: ApiUser) {
  return { subscriptions: user.subscriptions, payments: user.payments };
}

function assertNear(actualIso: string | null, expectedMs: number, toleranceMs: number, what: string): void {
  assert.ok(actualIso, `${what}: an expiry`);
  const diff = Date.parse(actualIso) - expectedMs;
  assert.ok(Math.abs(diff) < toleranceMs, `${what}: ${actualIso} is ${Math.round(diff / 1000)} s away from ${new Date(expectedMs).toISOString()}`);
}

/** The bans and unbans of one user in one chat, in order. */
function removalEvents(h: Harness, chatId: number, userId: number) {
  return h.fake.chatEvents(h.token, chatId).filter((e) => (e.type === 'ban' || e.type === 'unban') && e.userId === userId);
}

function assertRemovedOnce(h: Harness, chatId: number, userId: number): void {
  assert.deepEqual(
    removalEvents(h, chatId, userId).map((e) => (e.type === 'unban' ? `unban only_if_banned=${e.onlyIfBanned}` : e.type)),
    ['ban', 'unban only_if_banned=true'],
    `chat ${chatId}: one ban, then one unban only if banned`,
  );
  assert.equal(h.fake.memberStatus(h.token, chatId, userId), 'left', `user ${userId} is out of chat ${chatId} and may come back`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const database of await testDatabases()) {
  describe(`after the purchase (${database.kind})`, () => {
    test('expiry: one reminder at 80% of a 10 s term, then removal from both chats, the notice with a renew button, expired in the API; nothing twice', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT_A, type: 'supergroup', title: 'Room A' });
      h.fake.addChat(h.token, { id: CHAT_B, type: 'channel', title: 'Room B' });
      const planId = await addPlan(h, '10s', [CHAT_A, CHAT_B]);
      const stack = await startStack(h, SWEEP);
      const user = { id: 616161, first_name: 'Eve', language_code: 'en' };

      await buy(h, stack, user, planId);
      await h.fake.waitForCall((c) => isText(user.id, 'payment.confirmed')(c) && c.status === 200, 10_000);
      for (const chatId of [CHAT_A, CHAT_B]) h.fake.setMember(h.token, { user, chatId, status: 'member' });
      const sub = subscriptionOf(await getUser(stack, user.id), planId);
      assert.equal(sub.status, 'active');
      assert.deepEqual([...sub.chatIds].sort(), [CHAT_A, CHAT_B].sort());
      const startsAt = Date.parse(sub.startsAt);
      const expiresAt = Date.parse(sub.expiresAt!);
      assert.ok(Math.abs(expiresAt - startsAt - 10_000) < 1_000, `a 10 s term: ${sub.startsAt} → ${sub.expiresAt}`);

      const reminder = await h.fake.waitForCall(isText(user.id, 'reminder.expiring'), 15_000);
      assert.equal(reminder.status ?? 200, 200);
      assert.ok(reminder.at >= startsAt + 7_500, `the reminder came ${reminder.at - startsAt} ms into the term, expected about 8 s (80%)`);
      assert.ok(reminder.at < expiresAt, `the reminder came ${reminder.at - expiresAt} ms after expiry`);
      assert.ok(callbackData(reminder).includes(`buy:${planId}`), 'the reminder offers renewal');
      assert.equal(h.fake.calls().filter((c) => c.method === 'banChatMember').length, 0, 'nobody is removed before expiry');

      const notice = await h.fake.waitForCall(isText(user.id, 'expired.notice'), 10_000);
      assert.deepEqual(callbackData(notice), [`buy:${planId}`], 'the notice offers renewal of the plan');
      const bans = h.fake.calls({ method: 'banChatMember', token: h.token });
      assert.equal(bans.length, 2, 'one ban per protected chat');
      for (const ban of bans) {
        assert.ok(ban.at >= expiresAt - 100, `banned ${expiresAt - ban.at} ms before expiry`);
        assert.ok(ban.at - expiresAt < 3_000, `banned ${ban.at - expiresAt} ms after expiry (PAYWALL_GRACE 0, sweeps every 1 s)`);
        assert.ok(ban.at <= notice.at, 'removed before being told');
      }
      for (const unban of h.fake.calls({ method: 'unbanChatMember', token: h.token })) {
        assert.equal(unban.params.only_if_banned, true);
        assert.equal(Number(unban.params.user_id), user.id);
      }
      for (const chatId of [CHAT_A, CHAT_B]) assertRemovedOnce(h, chatId, user.id);
      const after = subscriptionOf(await getUser(stack, user.id), planId);
      assert.equal(after.status, 'expired');

      // A few more sweeps change nothing and send nothing again.
      await sleep(3_500);
      assert.equal(h.fake.calls().filter(isText(user.id, 'reminder.expiring')).length, 1, 'one reminder');
      assert.equal(h.fake.calls().filter(isText(user.id, 'expired.notice')).length, 1, 'one expiry notice');
      assert.equal(h.fake.calls({ method: 'banChatMember', token: h.token }).length, 2);
      assert.equal(h.fake.calls({ method: 'unbanChatMember', token: h.token }).length, 2);
      for (const chatId of [CHAT_A, CHAT_B]) assertRemovedOnce(h, chatId, user.id);
      assert.equal(subscriptionOf(await getUser(stack, user.id), planId).status, 'expired');
      h.assertNoTokenLeak();
    });

    test('admin refund through the API: refundStarPayment, the time taken back (60 d → 30 d), then access ended; a second refund is 409 and changes nothing', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT_A, type: 'supergroup', title: 'Room A' });
      const planId = await addPlan(h, '30d', [CHAT_A]);
      const admin = { id: 700001, first_name: 'Admin' };
      const stack = await startStack(h, { ...SWEEP, ADMIN_USER_IDS: String(admin.id) });
      const user = { id: 626262, first_name: 'Rui', language_code: 'en' };

      const first = await buy(h, stack, user, planId);
      const second = await buy(h, stack, user, planId);
      assert.notEqual(first, second);
      h.fake.setMember(h.token, { user, chatId: CHAT_A, status: 'member' });
      const bought = Date.now();
      assertNear(subscriptionOf(await getUser(stack, user.id), planId).expiresAt, bought + 60 * DAY_MS, 60_000, 'two 30 d purchases');

      const refunded = await stack.api<{ jobId: unknown }>('POST', `/api/payments/${encodeURIComponent(first)}/refund`);
      assert.equal(refunded.status, 202, JSON.stringify(refunded.body));
      assert.ok(refunded.body.jobId !== undefined && refunded.body.jobId !== null, `a job id: ${JSON.stringify(refunded.body)}`);
      const call = await h.fake.waitForCall({ method: 'refundStarPayment', token: h.token, status: 200 }, 10_000);
      assert.equal(Number(call.params.user_id), user.id);
      assert.equal(call.params.telegram_payment_charge_id, first);
      await waitUntil(async () => (await getUser(stack, user.id)).payments.find((p) => p.chargeId === first)?.status === 'refunded', 10_000, 'the first payment shows refunded');
      let stored = await getUser(stack, user.id);
      assert.ok(stored.payments.find((p) => p.chargeId === first)!.refundedAt, 'refundedAt set');
      assert.equal(stored.payments.find((p) => p.chargeId === second)!.status, 'paid');
      let sub = subscriptionOf(stored, planId);
      assert.equal(sub.status, 'active', 'time is left: still active');
      assertNear(sub.expiresAt, bought + 30 * DAY_MS, 60_000, 'one 30 d purchase left');
      assert.equal(h.fake.starCharges(h.token).find((c) => c.chargeId === first)!.refunded, true);
      await h.fake.waitForCall((c) => isText(user.id, 'refund.done')(c), 10_000);
      await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === admin.id && String(c.params.text).startsWith(opening('admin.refund')), 10_000);
      await sleep(1_500);
      assert.equal(h.fake.calls({ method: 'banChatMember', token: h.token }).length, 0, 'not removed while time is left');
      assert.equal(h.fake.memberStatus(h.token, CHAT_A, user.id), 'member');

      // The same charge again: 409, and nothing changes.
      const again = await stack.api<{ error?: string }>('POST', `/api/payments/${encodeURIComponent(first)}/refund`);
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.equal(typeof again.body.error, 'string');
      await sleep(1_500);
      assert.deepEqual(accountOf(await getUser(stack, user.id)), accountOf(stored), 'a refused refund changes nothing');
      assert.equal(h.fake.calls({ method: 'refundStarPayment', token: h.token }).length, 1);

      // The other charge: no time left, access ends. Asked twice at once: the second is 409 (queued).
      const last = await stack.api<{ jobId: unknown }>('POST', `/api/payments/${encodeURIComponent(second)}/refund`);
      assert.equal(last.status, 202, JSON.stringify(last.body));
      const queued = await stack.api<{ error?: string }>('POST', `/api/payments/${encodeURIComponent(second)}/refund`);
      assert.equal(queued.status, 409, JSON.stringify(queued.body));
      await waitUntil(() => h.fake.calls({ method: 'unbanChatMember', token: h.token }).length >= 1, 10_000, 'the user removed from the chat');
      await waitUntil(async () => subscriptionOf(await getUser(stack, user.id), planId).status === 'expired', 10_000, 'the subscription ended');
      stored = await getUser(stack, user.id);
      sub = subscriptionOf(stored, planId);
      assert.ok(Date.parse(sub.expiresAt!) <= Date.now(), `no time left: ${sub.expiresAt}`);
      assert.deepEqual(stored.payments.map((p) => p.status), ['refunded', 'refunded']);
      const refunds = h.fake.calls({ method: 'refundStarPayment', token: h.token });
      assert.deepEqual(refunds.map((c) => c.params.telegram_payment_charge_id), [first, second]);
      assertRemovedOnce(h, CHAT_A, user.id);

      await sleep(2_500);
      assert.equal(h.fake.calls({ method: 'refundStarPayment', token: h.token }).length, 2, 'each charge refunded once');
      assertRemovedOnce(h, CHAT_A, user.id);
      assert.equal(h.fake.calls().filter(isText(user.id, 'refund.done')).length, 2, 'one refund notice per refund');
      assert.equal(h.fake.calls().filter(isText(user.id, 'expired.notice')).length, 0, 'the refund notice says it all: no expiry notice besides');
      assert.equal(subscriptionOf(await getUser(stack, user.id), planId).status, 'expired');
      h.assertNoTokenLeak();
    });

    test('refunded_payment from Telegram: the payment shows refunded and its time is taken back; again changes nothing; the last one ends access', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT_A, type: 'supergroup', title: 'Room A' });
      const planId = await addPlan(h, '30d', [CHAT_A]);
      const stack = await startStack(h, SWEEP);
      const user = { id: 636363, first_name: 'Ana', language_code: 'en' };

      const first = await buy(h, stack, user, planId);
      const second = await buy(h, stack, user, planId);
      h.fake.setMember(h.token, { user, chatId: CHAT_A, status: 'member' });
      const bought = Date.now();
      assertNear(subscriptionOf(await getUser(stack, user.id), planId).expiresAt, bought + 60 * DAY_MS, 60_000, 'two 30 d purchases');

      h.fake.pushRefundedPayment(h.token, { chargeId: first });
      await waitUntil(async () => (await getUser(stack, user.id)).payments.find((p) => p.chargeId === first)?.status === 'refunded', 10_000, 'the payment shows refunded');
      const stored = await getUser(stack, user.id);
      const sub = subscriptionOf(stored, planId);
      assert.equal(sub.status, 'active');
      assertNear(sub.expiresAt, bought + 30 * DAY_MS, 60_000, 'one 30 d purchase left');
      assert.equal(stored.payments.find((p) => p.chargeId === second)!.status, 'paid');
      await h.fake.waitForCall(isText(user.id, 'refund.done'), 10_000);

      // Told again, or asked by an admin: nothing changes, and Telegram is not asked to refund.
      h.fake.pushRefundedPayment(h.token, { chargeId: first });
      const viaApi = await stack.api<{ error?: string }>('POST', `/api/payments/${encodeURIComponent(first)}/refund`);
      assert.equal(viaApi.status, 409, JSON.stringify(viaApi.body));
      await waitUntil(() => h.fake.pendingUpdates(h.token) === 0, 10_000, 'the repeated refunded_payment consumed');
      await sleep(1_500);
      assert.deepEqual(accountOf(await getUser(stack, user.id)), accountOf(stored), 'a repeated refund changes nothing');
      assert.equal(h.fake.calls().filter(isText(user.id, 'refund.done')).length, 1);
      assert.equal(h.fake.calls({ method: 'refundStarPayment', token: h.token }).length, 0);
      assert.equal(h.fake.calls({ method: 'banChatMember', token: h.token }).length, 0);

      h.fake.pushRefundedPayment(h.token, { chargeId: second });
      await waitUntil(async () => subscriptionOf(await getUser(stack, user.id), planId).status === 'expired', 10_000, 'access ended');
      await waitUntil(() => h.fake.calls({ method: 'unbanChatMember', token: h.token }).length >= 1, 10_000, 'the user removed from the chat');
      await waitUntil(() => h.fake.calls().filter(isText(user.id, 'refund.done')).length === 2, 10_000, 'the second refund notice');
      await sleep(2_500);
      assertRemovedOnce(h, CHAT_A, user.id);
      assert.equal(h.fake.calls().filter(isText(user.id, 'refund.done')).length, 2, 'one refund notice per refund');
      assert.equal(h.fake.calls().filter(isText(user.id, 'expired.notice')).length, 0, 'the refund notice says it all: no expiry notice besides');
      assert.deepEqual((await getUser(stack, user.id)).payments.map((p) => p.status), ['refunded', 'refunded']);
      h.assertNoTokenLeak();
    });

    test('a user who blocked the bot: marked on the first 403, never messaged again, still removed at expiry; an update from them clears the mark', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT_A, type: 'supergroup', title: 'Room A' });
      const planId = await addPlan(h, '10s', [CHAT_A]);
      const stack = await startStack(h, SWEEP);
      const user = { id: 646464, first_name: 'Ivo', language_code: 'en' };

      await buy(h, stack, user, planId);
      await h.fake.waitForCall((c) => isText(user.id, 'payment.confirmed')(c) && c.status === 200, 10_000);
      h.fake.setMember(h.token, { user, chatId: CHAT_A, status: 'member' });
      assert.equal((await getUser(stack, user.id)).blocked, false);
      h.fake.blockUser(h.token, user.id);

      // The reminder (about 8 s into the term) is the first message to fail.
      const refused = await h.fake.waitForCall((c) => toUser(user.id)(c) && c.status === 403, 15_000);
      assert.ok(String(refused.params.text).startsWith(opening('reminder.expiring')), 'the reminder was refused');
      await waitUntil(async () => (await getUser(stack, user.id)).blocked, 5_000, 'the user marked blocked');
      const listed = await stack.api<{ items: { id: number }[] }>('GET', '/api/users?status=blocked');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.items.map((u) => u.id), [user.id]);

      // Expiry: removed all the same, and not told.
      await h.fake.waitForCall({ method: 'unbanChatMember', token: h.token }, 10_000);
      assertRemovedOnce(h, CHAT_A, user.id);
      await waitUntil(async () => subscriptionOf(await getUser(stack, user.id), planId).status === 'expired', 5_000, 'expired');
      await sleep(3_000);
      const toThem = h.fake.calls().filter(toUser(user.id));
      assert.equal(toThem.filter((c) => c.status === 403).length, 1, 'one refused send');
      assert.equal(toThem.filter((c) => c.at > refused.at).length, 0, `nothing sent after the 403: ${toThem.filter((c) => c.at > refused.at).map((c) => c.params.text).join(' | ')}`);
      assertRemovedOnce(h, CHAT_A, user.id);
      assert.equal((await getUser(stack, user.id)).blocked, true);

      // They come back: any update clears the mark, and they are answered again.
      h.fake.unblockUser(h.token, user.id);
      const since = h.fake.calls().length;
      h.fake.userSends(h.token, { user, text: '/status' });
      await waitUntil(async () => !(await getUser(stack, user.id)).blocked, 10_000, 'the blocked mark cleared');
      await h.fake.waitForCall((c) => toUser(user.id)(c) && c.status === 200, 10_000, { since });
      h.assertNoTokenLeak();
    });
  });
}
