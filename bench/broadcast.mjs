/**
 * Benchmark 4 — broadcast at Telegram's limit. 2,000 users start the bot
 * (limiter off), then the fake enforces 30 messages/s overall and 1/s per
 * chat, and a broadcast to all is queued through the JSON API. Figures:
 * messages/s over the send window (goal ≥ 28), no failed delivery (no 429
 * escaping), nobody messaged twice; then the same on a fresh set-up with the
 * bot SIGKILLed half-way and restarted: still nobody twice.
 *
 *   node bench/broadcast.mjs [--recipients 2000] [--db sqlite|postgres] [--no-crash]
 */
import { figure, intOption, note, options, round, runBench, sleep, waitUntil } from './lib/common.mjs';
import { startFake } from './lib/fake.mjs';
import { startBurst } from './lib/burst.mjs';
import { api, preparePaywall, startBot, startDashboard } from './lib/paywall.mjs';

const GOAL_RATE = 28;
const LIMIT = { perSecond: 30, perChatPerSecond: 1 };

const args = options({
  recipients: { type: 'string', default: '2000' },
  db: { type: 'string', default: 'sqlite' },
  'no-crash': { type: 'boolean', default: false },
});
const recipients = intOption(args, 'recipients');
const label = `broadcast/${args.db}`;

/** Counts the broadcast's deliveries per chat (its marker in the text) with their times. */
function deliveryTracker(fakeEnv, token, marker) {
  const perChat = new Map();
  const times = [];
  const stop = fakeEnv.onSend((t, chatId, text, at) => {
    if (t !== token || !text?.includes(marker)) return;
    perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
    times.push(at);
  });
  return {
    perChat,
    times,
    stop,
    duplicates: () => [...perChat.values()].filter((n) => n > 1).length,
  };
}

/** One run: users start the bot, the limiter goes on, a broadcast goes out (with a crash half-way if asked). */
async function broadcastRun(scope, crash) {
  const fakeEnv = await startFake(scope);
  const { fake } = fakeEnv;
  const setup = await preparePaywall(scope, fakeEnv, args.db);
  const { port } = await startDashboard(scope, setup);
  let bot = await startBot(scope, setup);
  await startBurst(fakeEnv, setup.token, { count: recipients, firstId: 6_100_000_000, label: `${label}/users` });
  await waitUntil(async () => (await setup.db.count('users')) >= recipients, 60_000, `${recipients} users stored`, 250);
  // Let the per-chat window of the /start replies pass before the limiter counts.
  await sleep(1200);
  fake.clearCalls();
  fake.setRateLimit(LIMIT);

  const marker = `bench-${Date.now().toString(36)}`;
  const tracker = deliveryTracker(fakeEnv, setup.token, marker);
  const t0 = performance.now();
  const queued = await api(port, 'POST', '/api/broadcasts', { text: `<b>News</b> for everyone ${marker}`, audience: 'all' });
  if (queued.status !== 202) throw new Error(`POST /api/broadcasts answered ${queued.status}: ${JSON.stringify(queued.body)}`);
  const id = queued.body.id;
  let killedAt;
  let restartedAt;
  if (crash) {
    await waitUntil(() => tracker.times.length >= recipients / 2, 300_000, 'half of the broadcast delivered', 20);
    process.kill(bot.pid, 'SIGKILL');
    killedAt = performance.now();
    await bot.exited;
    note(label, `SIGKILLed the bot after ${tracker.times.length} deliveries; restarting`);
    bot = await startBot(scope, setup);
    restartedAt = performance.now();
  }
  const final = await waitUntil(async () => {
    const { status, body } = await api(port, 'GET', `/api/broadcasts/${id}`);
    return status === 200 && (body.status === 'done' || body.status === 'failed') ? body : undefined;
  }, Math.max(180_000, recipients * 100), `broadcast ${id} done`, 250);
  const tEnd = performance.now();
  tracker.stop();
  await bot.stop();

  const sends = fake.calls({ method: 'sendMessage', token: setup.token });
  const limited = sends.filter((c) => c.status === 429).length;
  const first = tracker.times[0];
  const last = tracker.times[tracker.times.length - 1];
  const windowRate = tracker.times.length > 1 ? (tracker.times.length - 1) / ((last - first) / 1000) : 0;
  // Without the downtime of a crash run (kill → restarted bot polling).
  const downtime = crash ? (restartedAt - killedAt) / 1000 : 0;
  const result = {
    status: final.status,
    total: final.total,
    sent: final.sent,
    failed: final.failed,
    delivered: tracker.times.length,
    recipientsReached: tracker.perChat.size,
    duplicates: tracker.duplicates(),
    rateLimited429: limited,
    messagesPerSecond: round(windowRate, 1),
    seconds: round((tEnd - t0) / 1000, 1),
    downtimeSeconds: round(downtime, 1),
  };
  if (crash) result.messagesPerSecondWithoutDowntime = round((tracker.times.length - 1) / ((last - first) / 1000 - downtime), 1);
  note(label, `${crash ? 'crash run' : 'run'}: ${JSON.stringify(result)}`);
  return result;
}

await runBench('broadcast', async (scope) => {
  const plain = await broadcastRun(scope, false);
  const crashed = args['no-crash'] ? undefined : await broadcastRun(scope, true);
  const figures = [
    figure(`broadcast to ${recipients}: messages/s (fake limit 30/s)`, plain.messagesPerSecond, 'msg/s', `≥ ${GOAL_RATE}`, plain.messagesPerSecond >= GOAL_RATE),
    figure('delivered / failed (429s seen by the bot)', `${plain.delivered} / ${plain.failed} (${plain.rateLimited429})`, '', `${recipients} / 0`, plain.delivered === recipients && plain.failed === 0),
    figure('recipients messaged twice', plain.duplicates, '', '0', plain.duplicates === 0),
  ];
  if (crashed) {
    figures.push(
      figure('with SIGKILL half-way: messaged twice', crashed.duplicates, '', '0', crashed.duplicates === 0),
      figure('with SIGKILL: sent + counted failed (in flight at the kill)', `${crashed.sent} + ${crashed.failed}`, '', `= ${recipients}`, crashed.sent + crashed.failed === recipients && crashed.recipientsReached >= crashed.sent),
      figure('with SIGKILL: messages/s excluding the restart', crashed.messagesPerSecondWithoutDowntime, 'msg/s'),
    );
  }
  return { db: args.db, recipients, plain, crashed, figures };
});
