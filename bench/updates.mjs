/**
 * Benchmark 1 — update throughput. N `/start` updates from distinct users are
 * queued at once on the fake server; we time until every one is answered,
 * first for a bare grammY bot (bench/bare-grammy.mjs, the floor), then for
 * `paywall bot`, which also persists every user. Reports updates/s of both,
 * the ratio (goal ≥ 1.5×), latency per update (queued → answered) and the
 * bot's peak RSS (benchmark 6). --cpu-prof profiles the paywall bot and prints
 * where its time goes.
 *
 *   node bench/updates.mjs [--updates 20000] [--db sqlite|postgres] [--cpu-prof]
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

const args = options({
  updates: { type: 'string', default: '20000' },
  db: { type: 'string', default: 'sqlite' },
  'cpu-prof': { type: 'boolean', default: false },
});
const count = intOption(args, 'updates');
const label = `updates/${args.db}`;

await runBench('updates', async (scope) => {
  const fakeEnv = await startFake(scope, { trimCalls: true });

  // The floor: grammY alone, sequential, nothing stored.
  const bareToken = fakeEnv.addBot('bare');
  const bare = startNode(scope, BARE_SCRIPT, [], { env: { BARE_TOKEN: bareToken, BARE_API_ROOT: fakeEnv.fake.apiRoot } });
  await bare.waitForLine(/bare bot polling/, 30_000);
  note(label, 'bare grammY bot polling; burst starts');
  const bareRun = await startBurst(fakeEnv, bareToken, { count, firstId: 5_000_000_000, label: `${label}/bare` });
  const bareRss = peakRssMb(bare.pid);
  await bare.stop();
  note(label, `bare grammY: ${bareRun.perSecond} updates/s`);

  // paywall, persisting every user.
  const setup = await preparePaywall(scope, fakeEnv, args.db);
  const profileDir = args['cpu-prof'] ? await tempDir(scope, 'paywall-bench-prof-') : undefined;
  const bot = await startBot(scope, setup, { nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });
  // Let start-up work (commands menu, reconciliation, sweeper) finish before the burst.
  await sleep(1500);
  note(label, 'paywall bot polling; burst starts');
  const run = await startBurst(fakeEnv, setup.token, { count, firstId: 6_000_000_000, label: `${label}/paywall` });
  const persisted = await waitUntil(async () => {
    const n = await setup.db.count('users');
    return n >= count ? n : undefined;
  }, 60_000, `${count} users persisted`, 250).catch(async () => setup.db.count('users'));
  const rss = peakRssMb(bot.pid);
  await bot.stop();
  note(label, `paywall: ${run.perSecond} updates/s, ${persisted} users persisted, peak RSS ${rss} MB`);

  const profile = profileDir ? printProfile(profileDir, label) : undefined;

  const ratio = round(run.perSecond / bareRun.perSecond, 2);
  return {
    db: args.db,
    updates: count,
    bare: { ...bareRun, peakRssMb: bareRss },
    paywall: { ...run, persisted, peakRssMb: rss },
    ratio,
    profile,
    figures: [
      figure(`bare grammY: updates/s (${count} /start burst)`, bareRun.perSecond, 'updates/s'),
      figure('paywall bot: updates/s', run.perSecond, 'updates/s'),
      figure('paywall ÷ bare grammY', ratio, '×', `≥ ${GOAL_RATIO}×`, ratio >= GOAL_RATIO),
      figure('paywall: latency p50 (queued → answered, burst)', run.latency.p50, 'ms'),
      figure('paywall: latency p99 (queued → answered, burst)', run.latency.p99, 'ms'),
      figure('bare grammY: latency p50 / p99 (burst)', `${bareRun.latency.p50} / ${bareRun.latency.p99}`, 'ms'),
      figure('users persisted', persisted, 'users', `= ${count}`, persisted === count),
      figure('paywall bot: peak RSS', rss, 'MB'),
      figure('bare grammY: peak RSS', bareRss, 'MB'),
    ],
  };
});
