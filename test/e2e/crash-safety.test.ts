/**
 * Crash safety and sending limits, end to end (SPEC 5): a broadcast to 200
 * users against a fake that allows 30 messages per second, the same broadcast
 * with the bot SIGKILLed half-way, and a stream of Stars payments with the bot
 * SIGKILLed in the middle. Real processes, the fake server, every database.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { FakeUser, RecordedCall } from '../fake-telegram/types.js';
import type { PaywallProcess } from '../helpers/cli.js';
import { testDatabases, type TestDatabase } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const CHAT = -1001234567042;
const TEXT = '<b>News</b>';
const USERS = 200;
const PAYERS = 50;
const LIMIT = { perSecond: 30, perChatPerSecond: 1 };

interface ApiList<T> { items: T[]; total: number }
interface ApiBroadcast { id: number; status: string; total: number; sent: number; failed: number }
interface ApiPayment { chargeId: string; userId: number; status: string }
interface ApiUser { id: number; subscriptions: { id: number; status: string; planId: number | null }[] }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chatOf = (call: RecordedCall) => Number(call.params.chat_id);

function makeUsers(count: number, firstId: number): FakeUser[] {
  return Array.from({ length: count }, (_, i) => ({ id: firstId + i, first_name: `User${i}`, language_code: 'en' }));
}

/**
 * A sendMessage the fake carried out: answered 200, or read in full and carried out while its
 * client died (SIGKILL) before the answer went back, which the fake records as 499.
 */
function delivered(call: RecordedCall): boolean {
  return call.method === 'sendMessage' && (call.status === 200 || (call.status === 499 && typeof call.params.text === 'string'));
}

/** Delivered sendMessage calls carrying the broadcast text. */
function broadcastSends(h: Harness): RecordedCall[] {
  return h.fake.calls({ method: 'sendMessage', token: h.token }).filter((c) => c.params.text === TEXT && delivered(c));
}

/** How many delivered calls each chat received. */
function perChat(calls: RecordedCall[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of calls) counts.set(chatOf(call), (counts.get(chatOf(call)) ?? 0) + 1);
  return counts;
}

/** Every user sends /start; resolves once all are recorded and every greeting has been sent. */
async function introduce(h: Harness, stack: Stack, users: FakeUser[]): Promise<void> {
  const ids = new Set(users.map((u) => u.id));
  for (const user of users) h.fake.userSends(h.token, { user, text: '/start' });
  await waitUntil(async () => {
    const { status, body } = await stack.api<ApiList<{ id: number }>>('GET', '/api/users?limit=500');
    return status === 200 && body.items.filter((u) => ids.has(u.id)).length === users.length;
  }, 30_000, `all ${users.length} users recorded`);
  await waitUntil(() => {
    const greeted = new Set(h.fake.calls({ method: 'sendMessage', token: h.token }).filter((c) => c.status === 200).map(chatOf));
    return users.every((u) => greeted.has(u.id));
  }, 30_000, 'every /start answered');
}

async function waitForBroadcast(stack: Stack, id: number, timeoutMs: number): Promise<ApiBroadcast> {
  let last: ApiBroadcast | undefined;
  await waitUntil(async () => {
    const { status, body } = await stack.api<ApiBroadcast>('GET', `/api/broadcasts/${id}`);
    assert.equal(status, 200, JSON.stringify(body));
    last = body;
    return body.status === 'done' || body.status === 'failed';
  }, timeoutMs, `broadcast ${id} done (last seen ${JSON.stringify(last)})`);
  return last!;
}

/** Starts another `paywall bot` against the stack's database, as startStack does, and waits until it polls. */
async function restartBot(h: Harness): Promise<PaywallProcess> {
  const bot = h.spawn(['bot'], { env: { DASHBOARD_PASSWORD: TEST_PASSWORD } });
  await bot.waitForOutput(/"msg":"Polling for updates"/, 20_000);
  return bot;
}

async function killBot(stack: Stack): Promise<void> {
  stack.bot.kill('SIGKILL');
  const exit = await stack.bot.waitForExit(5_000);
  assert.equal(exit.signal, 'SIGKILL');
}

/** Messages per second between the first and the last of the calls. */
function rate(calls: RecordedCall[]): number {
  if (calls.length < 2) return 0;
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  return (calls.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
}

/** The most successful calls seen in any one-second window. */
function peakPerSecond(calls: RecordedCall[]): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= 1000) j += 1;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function broadcastSetup(t: TestContext, database: TestDatabase): Promise<{ h: Harness; stack: Stack; users: FakeUser[] }> {
  const h = await createHarness(t, database);
  const stack = await startStack(h);
  const users = makeUsers(USERS, 700_000);
  await introduce(h, stack, users);
  // The greetings count toward the fake's limit too: the limit goes on once they are done.
  h.fake.setRateLimit(LIMIT);
  return { h, stack, users };
}

async function postBroadcast(stack: Stack): Promise<number> {
  const posted = await stack.api<{ id: number }>('POST', '/api/broadcasts', { text: TEXT, audience: 'all' });
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  assert.equal(typeof posted.body.id, 'number');
  return posted.body.id;
}

for (const database of await testDatabases()) {
  describe(`crash safety (${database.kind})`, () => {
    test('a broadcast to 200 users at 30 messages/s: each gets it once, 429s are retried, none fails', async (t) => {
      const { h, stack, users } = await broadcastSetup(t, database);
      const started = Date.now();
      const id = await postBroadcast(stack);
      const done = await waitForBroadcast(stack, id, 45_000);
      const elapsed = Date.now() - started;

      assert.equal(done.status, 'done');
      assert.deepEqual({ total: done.total, sent: done.sent, failed: done.failed }, { total: USERS, sent: USERS, failed: 0 });
      const sends = broadcastSends(h);
      const counts = perChat(sends);
      for (const user of users) assert.equal(counts.get(user.id), 1, `user ${user.id} got the broadcast ${counts.get(user.id) ?? 0} times`);
      assert.equal(sends.length, USERS, 'no message to anyone else');
      assert.ok(peakPerSecond(sends) <= LIMIT.perSecond, `peak ${peakPerSecond(sends)}/s`);
      const rejected = h.fake.calls({ method: 'sendMessage', token: h.token }).filter((c) => c.params.text === TEXT && c.status === 429).length;
      t.diagnostic(`${database.kind}: ${USERS} sent in ${elapsed} ms (first→last send ${rate(sends).toFixed(1)} msg/s, peak ${peakPerSecond(sends)} in 1 s), ${rejected} answered 429 and retried`);
      h.assertNoTokenLeak();
    });

    test('a broadcast across a SIGKILL resumes after the restart and sends nobody the message twice', async (t) => {
      const { h, stack } = await broadcastSetup(t, database);
      const id = await postBroadcast(stack);
      await waitUntil(() => broadcastSends(h).length >= USERS / 2, 30_000, 'half of the broadcast sent');
      await killBot(stack);
      const atCrash = broadcastSends(h).length;
      await restartBot(h);
      const done = await waitForBroadcast(stack, id, 45_000);

      assert.equal(done.status, 'done');
      assert.equal(done.total, USERS);
      assert.equal(done.sent + done.failed, done.total, JSON.stringify(done));
      assert.ok(done.failed <= 3, `at most a few sends in flight at the crash are counted failed: ${JSON.stringify(done)}`);
      const counts = perChat(broadcastSends(h));
      const twice = [...counts].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'nobody got the message twice');
      // A send counted failed may still have reached its user (it was in flight): never the reverse.
      assert.ok(counts.size >= done.sent && counts.size <= done.sent + done.failed, `${counts.size} users reached, ${JSON.stringify(done)}`);
      t.diagnostic(`${database.kind}: killed after ${atCrash} sends; after the restart sent=${done.sent} failed=${done.failed}, ${counts.size} users reached`);
      h.assertNoTokenLeak();
    });

    test('a stream of 50 payments across a SIGKILL: every charge recorded once, every payer subscribed and confirmed once', async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Crash Club' });
      const added = await h.run(['plans', 'add', '--title', 'Month', '--price', '25', '--duration', '30d', '--chat', String(CHAT)]);
      assert.equal(added.code, 0, added.stderr);
      const planId = Number(added.stdout.trim());
      const stack = await startStack(h);
      const users = makeUsers(PAYERS, 800_000);

      const outcomes = new Map<number, string>();
      let next = 0;
      let down: Promise<void> | undefined;
      const offer = async (user: FakeUser) => {
        h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
        // While the bot is down the /start waits in the queue for the next bot.
        await h.fake.waitForCall((c) => c.method === 'sendInvoice' && chatOf(c) === user.id && c.status === 200, 30_000);
        return h.fake.invoices(h.token).findLast((inv) => inv.chatId === user.id)!.payload;
      };
      const pay = async (user: FakeUser, payload: string, answerTimeoutMs?: number) => {
        let paid = await h.fake.pay(h.token, { user, invoice: { payload }, ...(answerTimeoutMs === undefined ? {} : { answerTimeoutMs }) });
        let outcome: string = paid.outcome;
        if (paid.outcome === 'timeout') {
          // Never charged: the user tries again once the bot is back.
          await down;
          paid = await h.fake.pay(h.token, { user, invoice: { payload } });
          outcome = `timeout, then ${paid.outcome}`;
        }
        outcomes.set(user.id, outcome);
      };
      const buyer = async () => {
        for (let i = next++; i < users.length; i = next++) await pay(users[i]!, await offer(users[i]!));
      };
      let killAt = 0;
      let readyAt = 0;
      let second: PaywallProcess | undefined;
      let killDelay = 0;
      const crash = (async () => {
        await waitUntil(() => h.fake.starCharges(h.token).length >= PAYERS * 0.4, 45_000, 'the stream under way');
        // Three users hold invoices and pay while the bot is down; one of them gives the bot only 1 s to answer.
        const holders = users.slice(next, next + 3);
        next += holders.length;
        const payloads = await Promise.all(holders.map(offer));
        let restarted!: () => void;
        down = new Promise((resolve) => { restarted = resolve; });
        // A random moment within the stream, so that runs cut different steps (recording, invite, confirmation).
        killDelay = Math.round(Math.random() * 300);
        await sleep(killDelay);
        killAt = Date.now();
        await killBot(stack);
        const chargesAtCrash = h.fake.starCharges(h.token).length;
        const paying = holders.map((user, i) => pay(user, payloads[i]!, i === 0 ? 1_000 : undefined));
        await sleep(1_500);
        second = await restartBot(h);
        readyAt = Date.now();
        restarted();
        await Promise.all(paying);
        return chargesAtCrash;
      })();
      await Promise.all([buyer(), buyer(), buyer(), buyer(), buyer(), crash]);
      const chargesAtCrash = await crash;

      const charges = h.fake.starCharges(h.token);
      const payers = new Set(charges.map((c) => c.user.id));
      assert.equal(payers.size, charges.length, 'one charge per payer');
      assert.ok(charges.length >= PAYERS * 0.9, `most payments went through: ${charges.length} of ${PAYERS}`);
      const queries = h.fake.preCheckoutQueries(h.token);
      const whileDown = queries.filter((q) => q.sentAt >= killAt && q.sentAt < readyAt);
      assert.ok(whileDown.length >= 3, `pre-checkouts sent while the bot was down: ${whileDown.length}`);
      assert.ok(whileDown.some((q) => q.expired && q.ok === undefined), 'one pre-checkout timed out while the bot was down');
      for (const q of queries.filter((query) => query.expired)) {
        const retried = outcomes.get(q.userId) === 'timeout, then paid';
        assert.equal(charges.filter((c) => c.user.id === q.userId).length, retried ? 1 : 0, `user ${q.userId}: a timed-out pre-checkout charged nothing`);
      }
      const chargeIds = charges.map((c) => c.chargeId).sort();

      let recorded: ApiPayment[] = [];
      await waitUntil(async () => {
        recorded = (await stack.api<ApiList<ApiPayment>>('GET', '/api/payments?limit=500')).body.items;
        return recorded.length >= charges.length;
      }, 30_000, 'every charge recorded');
      const confirmed = (userId: number) => h.fake.calls({ method: 'sendMessage', token: h.token })
        .filter((c) => delivered(c) && chatOf(c) === userId && JSON.stringify(c.params.reply_markup ?? '').includes('t.me/+'));
      // A confirmation whose send the SIGKILL cut between its checkpoint and the request cannot be known to have
      // arrived: the restarted bot says so and does not repeat it (like a broadcast's send in flight).
      const cutAtCrash = () => new Set([...second!.stderr().matchAll(/"userId":(\d+),"msg":"An invite message was in flight at a crash/g)].map((m) => Number(m[1])));
      await waitUntil(() => [...payers].every((id) => confirmed(id).length >= 1 || cutAtCrash().has(id)), 30_000, 'every payer confirmed').catch((err: Error) => {
        const missing = [...payers].filter((id) => confirmed(id).length === 0);
        const lines = `${stack.bot.stderr()}${second?.stderr()}`.split('\n').filter((l) => missing.some((id) => l.includes(String(id))));
        throw new Error(`${err.message}: ${missing.join(', ')} unconfirmed\n${lines.join('\n')}`);
      });
      await sleep(1_500); // room for a duplicate to show up
      recorded = (await stack.api<ApiList<ApiPayment>>('GET', '/api/payments?limit=500')).body.items;

      assert.deepEqual(recorded.map((p) => p.chargeId).sort(), chargeIds, 'each charge in the ledger recorded once, and no other');
      for (const payment of recorded) {
        assert.equal(payment.userId, charges.find((c) => c.chargeId === payment.chargeId)!.user.id);
        assert.equal(payment.status, 'paid');
      }
      const cut = [...payers].filter((id) => confirmed(id).length === 0);
      assert.ok(cut.length <= 1, `payers left without a confirmation: ${cut.join(', ')}`);
      for (const id of payers) {
        const { body } = await stack.api<ApiUser>('GET', `/api/users/${id}`);
        const sub = body.subscriptions.find((s) => s.planId === planId && s.status === 'active');
        assert.ok(sub, `payer ${id} has an active subscription`);
        assert.equal(confirmed(id).length, cut.includes(id) ? 0 : 1, `payer ${id} got ${confirmed(id).length} confirmations, at ${JSON.stringify(confirmed(id).map((c) => c.at - killAt))} ms from the crash`);
        if (!cut.includes(id)) continue;
        // Cut at the crash: /status offers a fresh link.
        const user = users.find((u) => u.id === id)!;
        const since = h.fake.calls().length;
        h.fake.userSends(h.token, { user, text: '/status' });
        await h.fake.waitForCall((c) => delivered(c) && chatOf(c) === id && JSON.stringify(c.params.reply_markup ?? '').includes(`link:${sub.id}`), 10_000, { since });
        h.fake.userPresses(h.token, { user, data: `link:${sub.id}` });
        await h.fake.waitForCall((c) => delivered(c) && chatOf(c) === id && JSON.stringify(c.params.reply_markup ?? '').includes('t.me/+'), 10_000, { since });
      }
      const log = second!.stderr();
      const count = (re: RegExp) => (log.match(re) ?? []).length;
      const recovery = `after the restart: ${count(/A payment seen before/g)} redelivered payments ignored, ${/"recovered":(\d+)/.exec(log)?.[1] ?? 0} jobs requeued, `
        + `${cutAtCrash().size} confirmations in flight at the crash not repeated (${cut.length} of them had not reached the fake: fresh link by /status)`;
      const tally = new Map<string, number>();
      for (const outcome of outcomes.values()) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      t.diagnostic(`${database.kind}: killed at ${chargesAtCrash} charges (+${killDelay} ms), down ${readyAt - killAt} ms; ${whileDown.length} pre-checkouts sent while down (${whileDown.filter((q) => q.expired).length} timed out); ${charges.length} of ${PAYERS} charged; outcomes ${JSON.stringify(Object.fromEntries(tally))}; ${recovery}`);
      h.assertNoTokenLeak();
    });
  });
}
