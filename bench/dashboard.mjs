/**
 * Benchmark 3 — the dashboard at scale. `paywall db seed --users N` (rows/s),
 * then the overview page (signed in with the session cookie) and
 * GET /api/stats (HTTP Basic), each under autocannon with 8 connections:
 * p50/p99 latency and requests/s (goal: p99 under 50 ms for both). Also the
 * first, cold request of each and the dashboard's peak RSS (benchmark 6).
 *
 *   node bench/dashboard.mjs [--users 1000000] [--db sqlite|postgres] [--seconds 10] [--connections 8] [--cpu-prof]
 *
 * --cpu-prof profiles the dashboard under load and prints where its time goes.
 * --database-url URL skips the seed and loads an already seeded database (kept
 * as it is, but for the migrations and the sessions the dashboard writes), so
 * that dashboard changes can be measured again without seeding for minutes.
 */
import autocannon from 'autocannon';
import { figure, intOption, note, options, peakRssMb, round, runBench } from './lib/common.mjs';
import { printProfile } from './lib/cpu-profile.mjs';
import { createDatabase, tempDir } from './lib/database.mjs';
import { basicAuth, PASSWORD, startDashboard } from './lib/paywall.mjs';
import { runPaywall } from './lib/process.mjs';

const GOAL_P99_MS = 50;
const REQUEST_TIMEOUT_S = 30;
const DRAIN_TIMEOUT_MS = 300_000;

const args = options({
  users: { type: 'string', default: '1000000' },
  db: { type: 'string', default: 'sqlite' },
  seconds: { type: 'string', default: '10' },
  connections: { type: 'string', default: '8' },
  'cpu-prof': { type: 'boolean', default: false },
  'database-url': { type: 'string' },
});
const users = intOption(args, 'users');
const seconds = intOption(args, 'seconds');
const connections = intOption(args, 'connections');
const label = `dashboard/${args.db}`;
const SUMMARY = /seeded (\d+) users, (\d+) plans, (\d+) orders, (\d+) subscriptions, (\d+) payments \((\d+) refunded\): (\d+) rows in ([\d.]+) s, (\d+) rows\/s/;

/** Seeds through the CLI; returns the counts and the rate it reported, plus our own wall time. */
async function seed(scope, env, cwd) {
  const t0 = performance.now();
  const r = await runPaywall(scope, ['db', 'seed', '--users', String(users)], { env, cwd }, 60 * 60_000);
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`paywall db seed exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  const m = SUMMARY.exec(r.stderr);
  if (!m) throw new Error(`paywall db seed printed no summary line:\n${r.stderr.slice(-2000)}`);
  const [, u, , orders, subscriptions, payments, refunded, rows, secs, rate] = m.map(Number);
  return { users: u, orders, subscriptions, payments, refunded, rows, seconds: secs, rowsPerSecond: rate, wallSeconds: round(wallSeconds, 1) };
}

/** Signs in like a browser: GET /login for the CSRF cookie and field, POST /login; returns the Cookie header. */
async function signIn(base) {
  const form = await fetch(`${base}/login`, { signal: AbortSignal.timeout(30_000) });
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('paywall_csrf='));
  if (!csrf || !csrfCookie) throw new Error(`GET /login gave no CSRF token (status ${form.status})`);
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ password: PASSWORD, _csrf: csrf }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('paywall_session='));
  if (res.status !== 303 || !session) throw new Error(`POST /login answered ${res.status} without a session cookie`);
  return session;
}

/** One timed request that must answer 200 and contain `expect`. */
async function coldRequest(url, headers, expect) {
  const t0 = performance.now();
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  const body = await res.text();
  const ms = round(performance.now() - t0, 1);
  if (res.status !== 200 || !body.includes(expect)) throw new Error(`GET ${new URL(url).pathname} answered ${res.status} without "${expect}": ${body.slice(0, 300)}`);
  return ms;
}

/**
 * autocannon against one URL (the cold request before it warmed it). Requests
 * slower than REQUEST_TIMEOUT_S count as timeouts; failures are reported, not
 * thrown, so that a slow page still gets its figures. Requests still running
 * when autocannon stops are waited for (one more request of the same URL
 * queues behind them), so the next load starts on an idle dashboard.
 */
async function load(url, headers) {
  const r = await autocannon({ url, headers, connections, timeout: REQUEST_TIMEOUT_S, duration: seconds });
  const drainStart = performance.now();
  const drained = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS) })
    .then(async (res) => `${res.status}`.concat(await res.arrayBuffer().then(() => '')))
    .catch((err) => `no answer (${err.name})`);
  const completed = r.requests.total > 0 && r.latency.p50 !== undefined;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  return {
    p50: completed ? r.latency.p50 : null,
    p99: completed ? r.latency.p99 : null,
    max: completed ? r.latency.max : null,
    requestsPerSecond: round(r.requests.average, 1),
    total: r.requests.total,
    failed: r.errors + r.non2xx,
    timeouts: r.timeouts,
    statusCodes,
    drain: { status: drained, ms: round(performance.now() - drainStart, 0) },
  };
}

/** The figures of one loaded URL. */
function loadFigures(name, r) {
  const slow = `none answered within ${seconds} s`;
  const clean = r.total > 0 && r.failed === 0 && r.timeouts === 0;
  const codes = Object.entries(r.statusCodes).map(([code, n]) => `${n}×${code}`).join(', ') || 'none';
  return [
    figure(`${name} p50 (${connections} conn.)`, r.p50 ?? slow, r.p50 === null ? '' : 'ms'),
    figure(`${name} p99`, r.p99 ?? slow, r.p99 === null ? '' : 'ms', `< ${GOAL_P99_MS} ms`, r.p99 !== null && r.p99 < GOAL_P99_MS && clean),
    figure(`${name} requests/s`, r.requestsPerSecond, 'req/s'),
    figure(`${name} answers (status × count), timeouts`, `${codes}; ${r.timeouts} timeouts`, '', 'all 200', clean),
  ];
}

await runBench('dashboard', async (scope) => {
  const existing = args['database-url'];
  const dir = await tempDir(scope);
  const url = existing ?? (await createDatabase(scope, args.db)).url;
  const env = { DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', DASHBOARD_PASSWORD: PASSWORD, PAYWALL_LOCK_DIR: `${dir}/locks` };
  let seeded;
  if (!existing) {
    note(label, `seeding ${users} users…`);
    seeded = await seed(scope, env, dir);
    note(label, `seeded ${seeded.rows} rows (${seeded.payments} payments) in ${seeded.seconds} s: ${seeded.rowsPerSecond} rows/s`);
  }

  const profileDir = args['cpu-prof'] ? await tempDir(scope, 'paywall-bench-prof-') : undefined;
  const { dashboard, port } = await startDashboard(scope, { env, dir }, { nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });
  const base = `http://127.0.0.1:${port}`;
  const cookie = await signIn(base);
  const pageHeaders = { cookie };
  const apiHeaders = { authorization: basicAuth() };
  const coldOverview = await coldRequest(`${base}/`, pageHeaders, 'Active subscribers');
  const coldStats = await coldRequest(`${base}/api/stats`, apiHeaders, 'activeSubscribers');
  note(label, `cold: overview ${coldOverview} ms, /api/stats ${coldStats} ms; loading ${seconds} s each with ${connections} connections`);
  const overview = await load(`${base}/`, pageHeaders);
  const stats = await load(`${base}/api/stats`, apiHeaders);
  const rss = peakRssMb(dashboard.pid);
  await dashboard.stop();
  const profile = profileDir ? printProfile(profileDir, label) : undefined;
  note(label, `overview p99 ${overview.p99} ms (${overview.requestsPerSecond} req/s); /api/stats p99 ${stats.p99} ms (${stats.requestsPerSecond} req/s); peak RSS ${rss} MB`);

  return {
    db: args.db,
    seed: seeded,
    coldOverviewMs: coldOverview,
    coldStatsMs: coldStats,
    overview,
    stats,
    peakRssMb: rss,
    profile,
    figures: [
      ...(seeded ? [
        figure(`seed ${users} users: rows/s`, seeded.rowsPerSecond, 'rows/s'),
        figure('seed: rows (payments) in seconds', `${seeded.rows} (${seeded.payments}) in ${seeded.seconds}`, 's'),
      ] : []),
      figure('overview page: first request', coldOverview, 'ms'),
      ...loadFigures('overview page', overview),
      figure('GET /api/stats: first request', coldStats, 'ms'),
      ...loadFigures('GET /api/stats', stats),
      figure('dashboard: peak RSS', rss, 'MB'),
    ],
  };
});
