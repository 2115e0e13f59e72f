/**
 * Benchmark 1 — update throughput. N `/start` updates from distinct users are
 * queued at once on the fake server; we time until every one is answered,
 * for a bare grammY bot (bench/bare-grammy.mjs, the floor) and for
 * `paywall bot`, which also persists every user, in alternating rounds with
 * new users each time, after an uncounted warm-up burst. Reports the median
 * updates/s of both, the ratio (goal ≥ 1.5×), latency per update (queued →
 * answered), the bots' peak RSS (benchmark 6), their CPU per update, and how
 * busy the fake server was (near one core it, not the bot, would set the
 * pace). --cpu-prof profiles the paywall bot and prints where its time goes.
 *
 *   node bench/updates.mjs [--updates 20000] [--rounds 3] [--db sqlite|postgres] [--cpu-prof]
 */
import { fileURLToPath } from 'node:url';
import { startBurst } from './lib/burst.mjs';
import { figure, intOption, note, options, peakRssMb, round, runBench, sleep, waitUntil } from './lib/common.mjs';
import { printProfile } from './lib/cpu-profile.mjs';
import { tempDir } from './lib/database.mjs';
import { startFake } from './lib/fake.mjs';
import { preparePaywall, startBot } from './lib/paywall.mjs';
import { startNode } from './lib/process.mjs';

const BARE_SCRIPT = fileURLToPath(new URL('./bare-grammy.mjs', import.meta.url));
const GOAL_RATIO = 1.5;
const WARM_UP_UPDATES = 2000;

const args = options({
  updates: { type: 'string', default: '20000' },
  db: { type: 'string', default: 'sqlite' },
  rounds: { type: 'string', default: '3' },
  'cpu-prof': { type: 'boolean', default: false },
});
const count = intOption(args, 'updates');
const rounds = intOption(args, 'rounds');
const label = `updates/${args.db}`;

/** The run with the median throughput of a list of bursts. */
function medianRun(runs) {
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((runs.length - 1) / 2)];
}

await runBench('updates', async (scope) => {
  const fakeEnv = await startFake(scope, { trimCalls: true });

  // The floor: grammY alone, sequential, nothing stored.
  const bareToken = fakeEnv.addBot('bare');
  const bare = startNode(scope, BARE_SCRIPT, [], { env: { BARE_TOKEN: bareToken, BARE_API_ROOT: fakeEnv.fake.apiRoot } });
  await bare.waitForLine(/bare bot polling/, 30_000);

  // paywall, persisting every user.
  const setup = await preparePaywall(scope, fakeEnv, args.db);
  const profileDir = args['cpu-prof'] ? await tempDir(scope, 'paywall-bench-prof-') : undefined;
  const bot = await startBot(scope, setup, { nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });
  // Let start-up work (commands menu, reconciliation, sweeper) finish before the first burst.
  await sleep(1500);

  // A warm-up burst each (not counted): the first burst of a process runs before the JIT has done its work.
  const warmUp = Math.min(WARM_UP_UPDATES, count);
  await startBurst(fakeEnv, bareToken, { count: warmUp, firstId: 4_000_000_000, label: `${label}/warm-up` });
  await startBurst(fakeEnv, setup.token, { count: warmUp, firstId: 4_500_000_000, label: `${label}/warm-up` });

  // Alternating bursts (new users each time), so that both see the same machine weather.
  const bareRuns = [];
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    bareRuns.push(await startBurst(fakeEnv, bareToken, { count, firstId: 5_000_000_000 + i * count, label: `${label}/bare`, botPid: bare.pid }));
    runs.push(await startBurst(fakeEnv, setup.token, { count, firstId: 6_000_000_000 + i * count, label: `${label}/paywall`, botPid: bot.pid }));
    note(label, `round ${i + 1}: bare grammY ${bareRuns[i].perSecond} updates/s, paywall ${runs[i].perSecond} updates/s`);
  }
  const expected = rounds * count + warmUp;
  const persisted = await waitUntil(async () => {
    const n = await setup.db.count('users');
    return n >= expected ? n : undefined;
  }, 60_000, `${expected} users persisted`, 250).catch(async () => setup.db.count('users'));
  const bareRss = peakRssMb(bare.pid);
  const rss = peakRssMb(bot.pid);
  await bare.stop();
  await bot.stop();
  const profile = profileDir ? printProfile(profileDir, label) : undefined;

  const bareRun = medianRun(bareRuns);
  const run = medianRun(runs);
  const ratio = round(run.perSecond / bareRun.perSecond, 2);
  note(label, `median of ${rounds}: bare grammY ${bareRun.perSecond}, paywall ${run.perSecond} updates/s (${ratio}×); ${persisted} users persisted; peak RSS ${rss} MB`);
  return {
    db: args.db,
    updates: count,
    rounds,
    bare: { ...bareRun, runs: bareRuns.map((r) => r.perSecond), peakRssMb: bareRss },
    paywall: { ...run, runs: runs.map((r) => r.perSecond), persisted, peakRssMb: rss },
    ratio,
    profile,
    figures: [
      figure(`bare grammY: updates/s (${count} /start burst, median of ${rounds})`, bareRun.perSecond, 'updates/s'),
      figure(`paywall bot: updates/s (median of ${rounds})`, run.perSecond, 'updates/s'),
      figure('paywall ÷ bare grammY', ratio, '×', `≥ ${GOAL_RATIO}×`, ratio >= GOAL_RATIO),
      figure('paywall: latency p50 (queued → answered, burst)', run.latency.p50, 'ms'),
      figure('paywall: latency p99 (queued → answered, burst)', run.latency.p99, 'ms'),
      figure('bare grammY: latency p50 / p99 (burst)', `${bareRun.latency.p50} / ${bareRun.latency.p99}`, 'ms'),
      figure('users persisted', persisted, 'users', `= ${expected}`, persisted === expected),
      figure('paywall bot: peak RSS', rss, 'MB'),
      figure('bare grammY: peak RSS', bareRss, 'MB'),
      figure('CPU per update: bare / paywall', `${bareRun.botCpuMsPerUpdate} / ${run.botCpuMsPerUpdate}`, 'ms'),
      figure('cores busy during the burst: bot, fake server (bare | paywall)', `${bareRun.botCores}, ${bareRun.fakeCores} | ${run.botCores}, ${run.fakeCores}`, ''),
    ],
  };
});
