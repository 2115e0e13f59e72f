/**
 * Benchmark 2 — payment latency under load. `/start` traffic from new users
 * is offered at 80% of the bot's throughput (--rate, else measured with a
 * quick burst first, which also warms the bot up; with --rate an uncounted
 * burst of the same size does) while users pay invoices the bot sent them; the figure
 * is the time from the pre_checkout_query being queued at the fake server to
 * answerPreCheckoutQuery arriving there (p50/p99; goal: p99 under 50 ms).
 * Each payment then completes (successful_payment, subscription, invite).
 *
 *   node bench/payments.mjs [--rate UPDATES_PER_S] [--seconds 20] [--payments-per-second 10] [--db sqlite|postgres]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBurst, startSteady } from './lib/burst.mjs';
import { figure, intOption, latencyStats, note, options, round, runBench, sleep, waitUntil } from './lib/common.mjs';
import { benchUser, startFake } from './lib/fake.mjs';
import { preparePaywall, startBot } from './lib/paywall.mjs';

const GOAL_P99_MS = 50;
const LOAD_SHARE = 0.8;

const args = options({
  rate: { type: 'string' },
  seconds: { type: 'string', default: '20' },
  'payments-per-second': { type: 'string', default: '10' },
  'calibration-updates': { type: 'string', default: '3000' },
  db: { type: 'string', default: 'sqlite' },
});
const seconds = intOption(args, 'seconds');
const paymentsPerSecond = intOption(args, 'payments-per-second');
const label = `payments/${args.db}`;
const PAYER_BASE = 7_000_000_000;
const IDLE_PAYMENTS = 20;

/** Each payer opens the plan's deep link; resolves with the invoice payload per payer id. */
async function prepareInvoices(fakeEnv, setup, count) {
  const { fake } = fakeEnv;
  for (let i = 0; i < count; i++) fake.userSends(setup.token, { user: benchUser(PAYER_BASE + i), text: `/start plan_${setup.planId}` });
  await waitUntil(() => fake.invoices(setup.token).length >= count, 120_000, `${count} invoices sent`, 100);
  return new Map(fake.invoices(setup.token).map((invoice) => [invoice.chatId, invoice.payload]));
}

await runBench('payments', async (scope) => {
  const fakeEnv = await startFake(scope, { trimCalls: true });
  const setup = await preparePaywall(scope, fakeEnv, args.db);
  const bot = await startBot(scope, setup);
  await sleep(1500);

  let rate = args.rate === undefined ? undefined : Number(args.rate);
  let measured;
  if (rate === undefined) {
    const calibration = await startBurst(fakeEnv, setup.token, { count: intOption(args, 'calibration-updates'), firstId: 8_000_000_000, label: `${label}/calibration` });
    measured = calibration.perSecond;
    rate = Math.max(1, Math.round(measured * LOAD_SHARE));
  } else if (!(rate > 0)) {
    throw new Error(`--rate: expected updates per second > 0, got ${args.rate}`);
  } else {
    // Uncounted, as the calibration burst would be: a cold bot (JIT, connection pools) lags for its first second of load.
    await startBurst(fakeEnv, setup.token, { count: intOption(args, 'calibration-updates'), firstId: 8_000_000_000, label: `${label}/warm-up` });
  }
  note(label, `offering /start at ${rate} updates/s for ${seconds} s with ${paymentsPerSecond} payments/s`);

  const payers = seconds * paymentsPerSecond;
  const payloads = await prepareInvoices(fakeEnv, setup, payers + IDLE_PAYMENTS);
  await sleep(1500);

  // The floor: payments one at a time with no other traffic.
  const idleResults = [];
  for (let i = payers; i < payers + IDLE_PAYMENTS; i++) {
    const id = PAYER_BASE + i;
    idleResults.push(await fakeEnv.fake.pay(setup.token, { user: benchUser(id), invoice: { payload: payloads.get(id) } }));
  }
  const idle = latencyStats(idleResults.filter((r) => r.answerMs !== undefined).map((r) => r.answerMs));
  await sleep(1500);

  const results = [];
  const payments = [];
  const paying = (async () => {
    const t0 = performance.now();
    for (let i = 0; i < payers; i++) {
      const due = t0 + (i * 1000) / paymentsPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const id = PAYER_BASE + i;
      payments.push(fakeEnv.fake.pay(setup.token, { user: benchUser(id), invoice: { payload: payloads.get(id) } }).then((r) => results.push(r)));
    }
    await Promise.all(payments);
  })();
  // The fake server runs in this process: its own delays would count in every figure, so they are reported.
  const fakeDelay = monitorEventLoopDelay({ resolution: 5 });
  fakeDelay.enable();
  const load = await startSteady(fakeEnv, setup.token, { rate, seconds, firstId: 9_000_000_000, label, botPid: bot.pid });
  await paying;
  fakeDelay.disable();
  const ms = (ns) => round(ns / 1e6);

  const answered = results.filter((r) => r.answerMs !== undefined);
  const latency = latencyStats(answered.map((r) => r.answerMs));
  const outcomes = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const expectedPayments = (outcomes.paid ?? 0) + idleResults.filter((r) => r.outcome === 'paid').length;
  const paymentsRecorded = await waitUntil(async () => {
    const n = await setup.db.count('payments');
    return n >= expectedPayments ? n : undefined;
  }, 60_000, 'payments recorded', 250).catch(() => setup.db.count('payments'));
  await bot.stop();
  note(label, `pre-checkout under load p50 ${latency.p50} ms, p99 ${latency.p99} ms (idle p50 ${idle.p50} ms); outcomes ${JSON.stringify(outcomes)}`);

  return {
    db: args.db,
    offeredRate: rate,
    measuredThroughput: measured,
    load,
    preCheckout: latency,
    preCheckoutIdle: idle,
    outcomes,
    paymentsRecorded,
    figures: [
      figure(`pre-checkout answer p50 / max, no other traffic (${IDLE_PAYMENTS} payments)`, `${idle.p50} / ${idle.max}`, 'ms'),
      figure('/start offered (80% of throughput)', `${load.offeredPerSecond}`, 'updates/s'),
      figure('pre-checkout answer p50 (queued → answered)', latency.p50, 'ms'),
      figure('pre-checkout answer p99', latency.p99, 'ms', `< ${GOAL_P99_MS} ms`, latency.p99 < GOAL_P99_MS),
      figure('payments accepted / attempted', `${outcomes.paid ?? 0} / ${payers}`, '', `= ${payers}`, (outcomes.paid ?? 0) === payers),
      figure('/start latency under that load p50 / p99', `${load.latency.p50} / ${load.latency.p99}`, 'ms'),
      figure('payments recorded (all accepted ones)', paymentsRecorded, '', `= ${expectedPayments}`, paymentsRecorded === expectedPayments),
      figure('fake server (this process): event-loop delay p99 / max under that load', `${ms(fakeDelay.percentile(99))} / ${ms(fakeDelay.max)}`, 'ms'),
      figure('cores busy under that load: bot, fake server with the load (2 on this machine)', `${load.botCores}, ${load.fakeCores}`, ''),
    ],
  };
});
