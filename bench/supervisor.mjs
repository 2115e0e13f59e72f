/**
 * Benchmark 5 — the supervisor. `paywall all` against the fake server:
 * cold start until both children are ready (the dashboard's "listening" line
 * and the bot's "Polling for updates" line on stderr), restart latency after
 * SIGKILL of the bot child (kill → the new child polls), and SIGTERM → exit
 * of `all` while idle. The first start is on a new database (migrations
 * included), the others on the existing one; each figure is over --runs runs.
 * Goals: ready under 2 s, restart under 1.5 s, exit under 2 s, judged on the
 * median (the max is shown: other work on the machine makes single runs spike).
 *
 *   node bench/supervisor.mjs [--runs 5] [--db sqlite|postgres]
 */
import { figure, intOption, median, note, options, round, runBench, sleep } from './lib/common.mjs';
import { startFake } from './lib/fake.mjs';
import { preparePaywall } from './lib/paywall.mjs';
import { startPaywall } from './lib/process.mjs';

const GOALS = { readyMs: 2000, restartMs: 1500, exitMs: 2000 };
const DASHBOARD_READY = /^dashboard\s*\|.*Dashboard listening on port/;
const BOT_READY = /^bot\s*\|.*"msg":"Polling for updates"/;
const BOT_STARTED = /started bot \(pid (\d+)\)/;

const args = options({
  runs: { type: 'string', default: '5' },
  db: { type: 'string', default: 'sqlite' },
});
const runs = intOption(args, 'runs');
const label = `supervisor/${args.db}`;

/** One cycle: start, SIGKILL the bot child, SIGTERM `all`; the three durations in ms. */
async function cycle(scope, setup) {
  const t0 = performance.now();
  const all = startPaywall(scope, ['all'], { env: setup.env, cwd: setup.dir });
  const dashboard = await all.waitForLine(DASHBOARD_READY, 30_000);
  const bot = await all.waitForLine(BOT_READY, 30_000);
  const readyMs = Math.max(dashboard.at, bot.at) - t0;
  const started = await all.waitForLine(BOT_STARTED, 5_000);
  const botPid = Number(BOT_STARTED.exec(started.text)[1]);

  await sleep(1000);
  const mark = all.lines.length;
  process.kill(botPid, 'SIGKILL');
  const killedAt = performance.now();
  const again = await all.waitForLine(BOT_READY, 30_000, mark);
  const restartMs = again.at - killedAt;

  await sleep(2000);
  const stopAt = performance.now();
  const exit = await all.stop('SIGTERM', 30_000);
  const exitMs = exit.at - stopAt;
  if (exit.code !== 0) throw new Error(`paywall all exited ${exit.code} (signal ${exit.signal}) after SIGTERM; last lines:\n${all.tail()}`);
  return { readyMs: round(readyMs, 0), restartMs: round(restartMs, 0), exitMs: round(exitMs, 0) };
}

await runBench('supervisor', async (scope) => {
  const fakeEnv = await startFake(scope);
  const setup = await preparePaywall(scope, fakeEnv, args.db, { plan: false });
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await cycle(scope, setup);
    note(label, `run ${i + 1}${i === 0 ? ' (new database)' : ''}: ready ${r.readyMs} ms, restart ${r.restartMs} ms, exit ${r.exitMs} ms`);
    results.push(r);
  }
  const [first, ...rest] = results;
  const warm = rest.length > 0 ? rest : results;
  const readyWarm = median(warm.map((r) => r.readyMs));
  const restart = results.map((r) => r.restartMs);
  const exit = results.map((r) => r.exitMs);
  const max = (xs) => Math.max(...xs);
  return {
    db: args.db,
    runs: results,
    figures: [
      figure('`paywall all` ready, new database (migrations)', first.readyMs, 'ms', `< ${GOALS.readyMs} ms`, first.readyMs < GOALS.readyMs),
      figure(`\`paywall all\` ready, existing database (median / max of ${warm.length})`, `${readyWarm} / ${max(warm.map((r) => r.readyMs))}`, 'ms', `median < ${GOALS.readyMs} ms`, readyWarm < GOALS.readyMs),
      figure(`bot restart after SIGKILL (median / max of ${runs})`, `${median(restart)} / ${max(restart)}`, 'ms', `median < ${GOALS.restartMs} ms`, median(restart) < GOALS.restartMs),
      figure(`SIGTERM → exit, idle (median / max of ${runs})`, `${median(exit)} / ${max(exit)}`, 'ms', `median < ${GOALS.exitMs} ms`, median(exit) < GOALS.exitMs),
    ],
  };
});
