/**
 * `paywall db seed --users 100000` with the real CLI, on both databases: it
 * finishes with a progress line every ~5% on stderr (not a TTY) and nothing on
 * stdout, and the real dashboard's `GET /api/stats` over the seeded database
 * answers plausible numbers: 100,000 users, payments that add up with the
 * seed's own summary, revenue from today up to all time in order; and the
 * overview page, signed in, renders the same numbers with its chart.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBrowser } from '../dashboard/auth/app-fixture.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';

const USERS = 100_000;
const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = 'seed-scale-password';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const SUMMARY = /seeded (\d+) users, (\d+) plans, (\d+) orders, (\d+) subscriptions, (\d+) payments \((\d+) refunded\): (\d+) rows in ([\d.]+) s/;

interface Stats {
  users: number;
  activeSubscribers: number;
  revenueStars: number;
  revenueToday: number;
  revenue30d: number;
  payments: number;
  refunds: number;
}

for (const database of await testDatabases()) {
  describe(`db seed at scale (${database.kind})`, () => {
    test(`--users ${USERS} shows progress on stderr and GET /api/stats then counts ${USERS} users`, async (t) => {
      const h = await createHarness(t, database);
      const started = Date.now();
      const seeded = await h.run(['db', 'seed', '--users', String(USERS)], {}, 170_000);
      const seconds = (Date.now() - started) / 1000;
      t.diagnostic(`db seed --users ${USERS} on ${database.kind}: ${seconds.toFixed(1)} s`);
      assert.equal(seeded.code, 0, seeded.stderr.slice(-2_000));
      assert.equal(seeded.stdout, '', 'stdout stays empty');
      const progress = [...seeded.stderr.matchAll(/seeded (\d+)\/100000 users \((\d+)%\), \d+ rows\/s/g)].map((m) => Number(m[1]));
      assert.ok(progress.length >= 15, `${progress.length} progress lines`);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only moves forward');
      assert.equal(progress.at(-1), USERS);
      const summary = SUMMARY.exec(seeded.stderr);
      assert.ok(summary, seeded.stderr.slice(-1_000));
      const [, users, , , , payments, refunded] = summary.map(Number);
      assert.equal(users, USERS);

      const proc = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: PASSWORD } });
      const port = Number(LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]);
      const get = async <T>(path: string): Promise<T> => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: AUTH }, signal: AbortSignal.timeout(20_000) });
        assert.equal(res.status, 200, path);
        return (await res.json()) as T;
      };
      const asked = Date.now();
      const stats = await get<Stats>('/api/stats');
      t.diagnostic(`GET /api/stats over ${USERS} users: ${Date.now() - asked} ms`);
      assert.equal(stats.users, USERS);
      assert.equal(stats.payments + stats.refunds, payments, 'every seeded payment is counted, paid or refunded');
      assert.equal(stats.refunds, refunded);
      assert.ok(stats.payments > USERS / 2, `${stats.payments} paid payments from ~70% buyers`);
      assert.ok(stats.activeSubscribers > USERS / 10 && stats.activeSubscribers < USERS * 0.7, `${stats.activeSubscribers} active subscribers`);
      assert.ok(stats.revenueToday >= 0 && stats.revenueToday <= stats.revenue30d && stats.revenue30d < stats.revenueStars, JSON.stringify(stats));
      assert.ok(stats.revenueStars >= stats.payments * 75 && stats.revenueStars <= stats.payments * 2_500, 'revenue between the cheapest and the dearest plan');
      assert.equal((await get<{ total: number }>('/api/users?limit=1&status=never_paid')).total > 0, true);
      assert.equal((await get<{ total: number }>('/api/payments?limit=1')).total, payments);

      const browser = createBrowser(`http://127.0.0.1:${port}`);
      await browser.logIn(PASSWORD);
      const rendered = Date.now();
      const overview = await browser.request('GET', '/');
      const renderMs = Date.now() - rendered;
      t.diagnostic(`the overview page over ${USERS} users: ${renderMs} ms`);
      // A deadline with wide slack for a loaded machine (it takes ~0.3 s): catches a plan gone bad, such as stale statistics after the seed.
      assert.ok(renderMs < 5_000, `the overview rendered in ${renderMs} ms`);
      assert.equal(overview.status, 200);
      const kpi = (id: string) => Number(new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(overview.text)?.[1]?.replace(/\D/g, ''));
      assert.equal(kpi('kpi-active'), stats.activeSubscribers, 'the overview shows the active subscribers');
      assert.equal(kpi('kpi-revenue-all'), stats.revenueStars, 'the overview shows all-time revenue');
      assert.match(overview.text, /<svg id="revenue-chart"[^>]*role="img"/);
      assert.ok((overview.text.match(/<rect /g) ?? []).length >= 20, 'the chart has a bar for most of the last 30 days');

      proc.kill('SIGTERM');
      assert.equal((await proc.waitForExit(10_000)).code, 0);
      h.assertNoTokenLeak();
    });
  });
}
