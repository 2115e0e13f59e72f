/**
 * Fault soak (issue 5, item 6): a real `paywall bot` takes 1,000 updates (800
 * `/start`s, 100 of them deep links that each end in a Stars payment, whose
 * pre_checkout_query and successful_payment make the other 200) while 10% of
 * its Bot API calls meet an injected 5xx, an extra delay or a dropped
 * connection (a dropped getUpdates loses updates already handed out). Every
 * payment is recorded once, every `/start` is answered once, and the process
 * stays up and exits 0 on SIGTERM.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import type { FakeUser, RecordedCall } from '../fake-telegram/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { isAlive, waitUntil } from '../helpers/processes.js';

const CHAT = -1001234567077;
const BUYERS = 100;
const GREETERS = 700;
const FAULT_RATE = 0.1;
/** A fixed seed, so that a failure can be replayed with the same faults (call order permitting). */
const SEED = 20260105;

const chatOf = (call: RecordedCall) => Number(call.params.chat_id);
const users = (count: number, firstId: number, name: string): FakeUser[] =>
  Array.from({ length: count }, (_, i) => ({ id: firstId + i, first_name: `${name}${i}`, language_code: i % 3 === 0 ? 'es' : 'en' }));

/** Successful calls of `method` per chat. */
function answeredPerChat(h: Harness, method: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of h.fake.calls({ method, token: h.token })) {
    if (call.status === 200) counts.set(chatOf(call), (counts.get(chatOf(call)) ?? 0) + 1);
  }
  return counts;
}

/** charge_id → how many rows the payments table holds for it. */
async function recordedCharges(h: Harness): Promise<Map<string, number>> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    const rows = (await db.knex('payments').select('charge_id').count({ n: '*' }).groupBy('charge_id')) as { charge_id: string; n: number | string }[];
    return new Map(rows.map((r) => [r.charge_id, Number(r.n)]));
  } finally {
    await db.close();
  }
}

const databases = await testDatabases();

for (const database of databases) {
  describe(`fault soak (${database.kind})`, () => {
    test(`1,000 updates with ${FAULT_RATE * 100}% of Bot API calls faulted: payments once, every /start answered, no crash`, async (t) => {
      const h = await createHarness(t, database);
      h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Soak Lounge' });
      const added = await h.run(['plans', 'add', '--title', 'Soak', '--price', '10', '--duration', '30d', '--chat', String(CHAT)]);
      assert.equal(added.code, 0, added.stderr);
      const planId = Number(added.stdout.trim());
      const bot = h.spawn(['bot']);
      await bot.waitForOutput(/"msg":"Polling for updates"/, 20_000);
      // Every wait below also ends, with the bot's last words, if the bot exits.
      const died = new Promise<never>((_, reject) => {
        bot.child.once('close', (code, signal) => reject(new Error(`the bot exited during the soak (${code ?? signal})\n${bot.stderr().slice(-3000)}`)));
      });
      died.catch(() => undefined);
      const unlessDead = <T>(work: Promise<T>): Promise<T> => Promise.race([work, died]);

      // Faults start once the bot polls (start-up calls are not retried by design: a failure there exits 1).
      // A dropped getUpdates loses its answer after the fake handed the updates out: they must come again.
      h.fake.setChaos({ rate: FAULT_RATE, seed: SEED, latencyMs: 1000, dropAfter: ['getUpdates'] });
      const started = Date.now();
      const greeters = users(GREETERS, 910_000, 'Greeter');
      const buyers = users(BUYERS, 920_000, 'Buyer');

      // Interleaved: a deep link every ninth /start.
      for (let i = 0, g = 0, b = 0; g < GREETERS || b < BUYERS; i++) {
        if (i % 9 === 8 && b < BUYERS) h.fake.userSends(h.token, { user: buyers[b++]!, text: `/start plan_${planId}` });
        else if (g < GREETERS) h.fake.userSends(h.token, { user: greeters[g++]!, text: '/start' });
        else h.fake.userSends(h.token, { user: buyers[b++]!, text: `/start plan_${planId}` });
      }
      // Each buyer pays as soon as their invoice arrives (deadline from the push of every update).
      const outcomes = await unlessDead(Promise.all(buyers.map(async (user) => {
        await h.fake.waitForCall((c) => c.method === 'sendInvoice' && chatOf(c) === user.id && c.status === 200, 50_000).catch(() => {
          const progress = `${answeredPerChat(h, 'sendInvoice').size}/${BUYERS} invoices and ${answeredPerChat(h, 'sendMessage').size} greetings sent, ${h.fake.pendingUpdates(h.token)} updates unconfirmed`;
          throw new Error(`buyer ${user.id} got no invoice within 50 s of the push (${progress}; faults so far ${JSON.stringify(h.fake.chaosStats())})`);
        });
        const payload = h.fake.invoices(h.token).findLast((inv) => inv.chatId === user.id)!.payload;
        return (await h.fake.pay(h.token, { user, invoice: { payload }, answerTimeoutMs: 50_000 })).outcome;
      })));
      assert.deepEqual(outcomes.filter((o) => o !== 'paid'), [], 'every pre-checkout was answered ok');

      const charges = h.fake.starCharges(h.token).map((c) => c.chargeId);
      assert.equal(charges.length, BUYERS);
      // Deadline from the last payment: its update, the outbox confirmation, and every greeting still queued.
      await unlessDead(waitUntil(async () => (await recordedCharges(h)).size === BUYERS, 30_000, `all ${BUYERS} payments recorded`));
      await unlessDead(waitUntil(() => {
        const greeted = answeredPerChat(h, 'sendMessage');
        return greeters.every((u) => greeted.has(u.id)) && buyers.every((u) => greeted.has(u.id));
      }, 30_000, 'every /start answered and every buyer confirmed'));
      const elapsed = Date.now() - started;
      const stats = h.fake.chaosStats();
      h.fake.setChaos(undefined);

      const recorded = await recordedCharges(h);
      assert.deepEqual([...recorded.keys()].sort(), [...charges].sort(), 'the payments table holds exactly the charges Telegram made');
      assert.deepEqual([...recorded.values()].filter((n) => n !== 1), [], 'each charge once');
      const greetings = answeredPerChat(h, 'sendMessage');
      const invoices = answeredPerChat(h, 'sendInvoice');
      const twice = [...greeters, ...buyers].filter((u) => greetings.get(u.id) !== 1).map((u) => `${u.id}×${greetings.get(u.id)}`);
      assert.deepEqual(twice, [], 'each plain /start answered and each buyer confirmed exactly once');
      assert.deepEqual(buyers.filter((u) => invoices.get(u.id) !== 1).map((u) => u.id), [], 'each deep link answered by one invoice');
      assert.ok(stats.error > 0 && stats.latency > 0 && stats.drop > 0, `every kind of fault was injected: ${JSON.stringify(stats)}`);

      assert.ok(!bot.exited && isAlive(bot.pid), 'the bot is still running');
      bot.kill('SIGTERM');
      // From SIGTERM: the update in hand, the offset confirmation and the runtime's bounded stop.
      const exit = await bot.waitForExit(15_000);
      assert.deepEqual(exit, { code: 0, signal: null }, bot.stderr().slice(-2000));
      t.diagnostic(`${database.kind}: ${GREETERS + 3 * BUYERS} updates handled in ${elapsed} ms; faults ${JSON.stringify(stats)}`);
      h.assertNoTokenLeak();
    });
  });
}
