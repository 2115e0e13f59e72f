/**
 * Reconciliation end to end (SPEC 5, issue 5 item 4): a Stars charge whose
 * successful_payment update never reaches paywall (the bot SIGKILLed after
 * answering the pre-checkout, the update dropped) is found in
 * getStarTransactions and granted once at the next start; later starts
 * change nothing; a refund made outside paywall while the bot was down is
 * taken back at the next start; and with a short PAYWALL_RECONCILE_INTERVAL
 * the periodic run picks up a lost update while the bot keeps running.
 * Real `paywall bot` processes, the fake Telegram server, both databases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb, createStore } from '../../src/db/index.js';
import type { Payment, Subscription } from '../../src/paywall/index.js';
import { callBotApi, type FakeUser, type RecordedCall } from '../fake-telegram/index.js';
import type { PaywallProcess } from '../helpers/cli.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const CHAT = -1001234567055;
const DAY_MS = 86_400_000;
const POLLING = /"msg":"Polling for updates"/;
const reconciled = (recorded: number, refunded: number) =>
  new RegExp(`"msg":"Reconciled Stars transactions: ${recorded} missed payment\\(s\\) recorded, ${refunded} refund\\(s\\) applied, 0 skipped"`);

/** What the database holds for one user, and how many jobs it holds in all. */
interface Snapshot {
  payments: Payment[];
  subscriptions: Subscription[];
  jobs: number;
}

async function snapshot(h: Harness, userId: number): Promise<Snapshot> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    const store = createStore(db);
    const [{ n }] = (await db.knex('jobs').count({ n: '*' })) as [{ n: number | string }];
    return { payments: await store.payments.forUser(userId), subscriptions: await store.subscriptions.forUser(userId), jobs: Number(n) };
  } finally {
    await db.close();
  }
}

function expiryOf(state: Snapshot): number {
  assert.equal(state.subscriptions.length, 1, 'one subscription');
  const expiresAt = state.subscriptions[0]!.expiresAt;
  assert.ok(expiresAt, 'a 30-day plan has an expiry');
  return expiresAt.getTime();
}

/** Delivered messages to the user carrying an invite link (payment confirmations), from position `since` in `calls()`. */
function confirmations(h: Harness, userId: number, since = 0): RecordedCall[] {
  return h.fake.calls().slice(since).filter((c) => c.method === 'sendMessage' && c.token === h.token && c.status === 200
    && Number(c.params.chat_id) === userId && JSON.stringify(c.params.reply_markup ?? '').includes('t.me/+'));
}

async function addPlan(h: Harness): Promise<number> {
  h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Ledger Lounge' });
  const added = await h.run(['plans', 'add', '--title', 'Month', '--price', '30', '--duration', '30d', '--chat', String(CHAT)]);
  assert.equal(added.code, 0, added.stderr);
  return Number(added.stdout.trim());
}

async function startBot(h: Harness, env: Record<string, string> = {}): Promise<PaywallProcess> {
  const bot = h.spawn(['bot'], { env });
  // Deadline from the spawn: migrations, getMe, the lock, then polling; generous for a loaded 2-core machine.
  await bot.waitForOutput(POLLING, 20_000);
  return bot;
}

async function killBot(bot: PaywallProcess): Promise<void> {
  bot.kill('SIGKILL');
  assert.equal((await bot.waitForExit(5_000)).signal, 'SIGKILL');
}

/** The user opens the plan's deep link and waits for the invoice; returns its payload. */
async function offer(h: Harness, user: FakeUser, planId: number): Promise<string> {
  const since = h.fake.calls().length;
  h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
  // Deadline from the /start: one update round trip of a polling bot.
  await h.fake.waitForCall((c) => c.method === 'sendInvoice' && c.status === 200 && Number(c.params.chat_id) === user.id, 10_000, { since });
  return h.fake.invoices(h.token).findLast((invoice) => invoice.chatId === user.id)!.payload;
}

/** The user pays; the bot answers the pre-checkout, the charge is made, and its successful_payment is held back for good. */
async function payLosingUpdate(h: Harness, user: FakeUser, payload: string): Promise<string> {
  const paid = await h.fake.pay(h.token, { user, invoice: { payload }, deliverPayment: false });
  assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
  assert.equal(paid.paymentUpdateId, undefined, 'the successful_payment update was held back');
  return paid.chargeId!;
}

/** The transactions getStarTransactions lists, as the Bot API answers them. */
async function ledger(h: Harness): Promise<{ id: string; source?: unknown; receiver?: unknown }[]> {
  const { status, body } = await callBotApi(h.fake.apiRoot, h.token, 'getStarTransactions', { limit: 100 });
  assert.equal(status, 200);
  return (body as { result: { transactions: { id: string; source?: unknown; receiver?: unknown }[] } }).result.transactions;
}

for (const database of await testDatabases()) {
  describe(`reconciliation end to end (${database.kind})`, () => {
    test('a charge whose update died with the bot is granted once at restart; a second restart changes nothing; an outside refund is taken back', async (t) => {
      const h = await createHarness(t, database);
      const planId = await addPlan(h);
      const user = { id: 626262, first_name: 'Lia', language_code: 'en' };
      const first = await startBot(h);

      // A first purchase the ordinary way, so that the lost one must extend a running subscription.
      assert.equal((await h.fake.pay(h.token, { user, invoice: { payload: await offer(h, user, planId) } })).outcome, 'paid');
      // Deadline from the payment: the update, the commit, then the confirmation job.
      await waitUntil(() => confirmations(h, user.id).length === 1, 15_000, 'the first purchase confirmed');
      const before = await snapshot(h, user.id);
      assert.equal(before.payments.length, 1);
      const firstExpiry = expiryOf(before);

      const chargeId = await payLosingUpdate(h, user, await offer(h, user, planId));
      await killBot(first);
      assert.ok((await ledger(h)).some((entry) => entry.id === chargeId && entry.source), 'the charge is in getStarTransactions');
      assert.equal((await snapshot(h, user.id)).payments.length, 1, 'the lost charge is not recorded yet');

      const sinceCrash = h.fake.calls().length;
      const second = await startBot(h);
      // Deadline from the "Polling" line: the start-up run has begun by then.
      await second.waitForOutput(reconciled(1, 0), 15_000);
      await waitUntil(() => confirmations(h, user.id, sinceCrash).length >= 1, 15_000, 'the reconciled payment confirmed');
      const after = await snapshot(h, user.id);
      const recorded = after.payments.filter((p) => p.chargeId === chargeId);
      assert.equal(recorded.length, 1, 'one payment row for the charge');
      assert.deepEqual([recorded[0]!.source, recorded[0]!.planId, recorded[0]!.amount, recorded[0]!.status], ['reconcile', planId, 30, 'paid']);
      assert.equal(after.payments.length, 2);
      assert.equal(expiryOf(after), firstExpiry + 30 * DAY_MS, 'one extension of the plan’s 30 days');
      const invites = h.fake.calls({ method: 'createChatInviteLink', token: h.token }).filter((c) => c.status === 200);
      assert.equal(invites.length, 2, 'one invite link per purchase');
      second.kill('SIGTERM');
      await second.waitForExit(15_000);

      // A third start reads the ledger again (with its overlap) and finds nothing to do.
      const sinceSecond = h.fake.calls().length;
      const third = await startBot(h, { LOG_LEVEL: 'debug' });
      await third.waitForOutput(reconciled(0, 0), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a wrong confirmation to show up
      assert.deepEqual(await snapshot(h, user.id), after, 'payments, subscription and jobs unchanged');
      assert.equal(confirmations(h, user.id, sinceSecond).length, 0, 'no second confirmation');
      await killBot(third);

      // Refunded outside paywall (support, another tool) while no bot runs: no refunded_payment update comes.
      const refund = await callBotApi(h.fake.apiRoot, h.token, 'refundStarPayment', { user_id: user.id, telegram_payment_charge_id: chargeId });
      assert.equal(refund.status, 200, JSON.stringify(refund.body));
      assert.ok((await ledger(h)).some((entry) => entry.id === chargeId && entry.receiver), 'the refund is in getStarTransactions');
      const sinceRefund = h.fake.calls().length;
      const fourth = await startBot(h);
      await fourth.waitForOutput(reconciled(0, 1), 15_000);
      // Deadline from the repair: the refund notice is a job the runner sends at once.
      await h.fake.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && Number(c.params.chat_id) === user.id && String(c.params.text).includes('refunded'), 15_000, { since: sinceRefund });
      const refunded = await snapshot(h, user.id);
      assert.equal(refunded.payments.find((p) => p.chargeId === chargeId)?.status, 'refunded');
      assert.equal(refunded.subscriptions[0]?.status, 'active');
      assert.equal(expiryOf(refunded), firstExpiry, 'the refunded 30 days are taken back, the first purchase’s stay');
      fourth.kill('SIGTERM');
      await fourth.waitForExit(15_000);
      h.assertNoTokenLeak();
    });

    test('with PAYWALL_RECONCILE_INTERVAL=1s a running bot picks up a charge whose update was lost, once', async (t) => {
      const h = await createHarness(t, database);
      const planId = await addPlan(h);
      const user = { id: 636363, first_name: 'Ivo', language_code: 'en' };
      const bot = await startBot(h, { PAYWALL_RECONCILE_INTERVAL: '1s', LOG_LEVEL: 'debug' });
      // The start-up run is over (it found nothing) before the charge exists: what records it is a periodic run.
      await bot.waitForOutput(reconciled(0, 0), 15_000);
      const chargeId = await payLosingUpdate(h, user, await offer(h, user, planId));
      const paidAt = Date.now();

      // Deadline from the charge: the next run is due within 1 s; wide slack for a loaded machine.
      await bot.waitForOutput(reconciled(1, 0), 15_000);
      await waitUntil(() => confirmations(h, user.id).length >= 1, 15_000, 'the reconciled payment confirmed');
      const runs = h.fake.calls({ method: 'getStarTransactions', token: h.token }).length;
      // Two more intervals: further runs read the charge again (the overlap) and record nothing.
      await waitUntil(() => h.fake.calls({ method: 'getStarTransactions', token: h.token }).length >= runs + 2, 15_000, 'two more periodic runs');
      assert.equal(bot.exited, false, 'the bot kept running');
      const state = await snapshot(h, user.id);
      assert.deepEqual(state.payments.map((p) => [p.chargeId, p.source]), [[chargeId, 'reconcile']]);
      const expiry = expiryOf(state);
      assert.ok(Math.abs(expiry - (paidAt + 30 * DAY_MS)) < 60_000, `one term of 30 days from the payment, got ${new Date(expiry).toISOString()}`);
      assert.equal(confirmations(h, user.id).length, 1, 'one confirmation');
      assert.equal(bot.stderr().split('\n').filter((line) => reconciled(1, 0).test(line)).length, 1, 'recorded by one run only');
      bot.kill('SIGTERM');
      await bot.waitForExit(15_000);
      h.assertNoTokenLeak();
    });
  });
}
