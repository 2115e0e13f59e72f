/**
 * The overview: KPIs from the real read models (revenue net of refunds, UTC
 * days), a chart whose bars follow each day's revenue, the bot status card,
 * and the static assets it loads.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { describe, test } from 'node:test';
import { CHART } from '../../../src/dashboard/views/revenue-chart.js';
import { writeHeartbeat } from '../../../src/db/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { textOfId } from './markup.js';
import { startPages } from './pages-fixture.js';
import { seedShop, USERS } from './seed.js';

const PLOT = CHART.height - CHART.top - CHART.bottom;

function bars(page: string): Map<string, { stars: number; height: number }> {
  const out = new Map<string, { stars: number; height: number }>();
  for (const m of page.matchAll(/<rect class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" data-day="([\d-]+)" data-stars="(\d+)">/g)) {
    out.set(m[2]!, { height: Number(m[1]), stars: Number(m[3]) });
  }
  return out;
}

for (const database of await testDatabases()) {
  describe(`overview (${database.kind})`, () => {
    test('KPIs, and chart bars proportional to each day\'s revenue, net of refunds', async (t) => {
      const f = await startPages(t, database);
      await seedShop(f);
      let page = (await f.get('/')).text;
      assert.equal(textOfId(page, 'kpi-active'), '2', 'Evil and Cy are active; Ana expired');
      assert.deepEqual(['kpi-revenue-today', 'kpi-revenue-30d', 'kpi-revenue-all', 'kpi-users', 'kpi-payments'].map((id) => textOfId(page, id)), ['250', '600', '600', '4', '3']);
      let chart = bars(page);
      assert.equal(chart.size, 30, 'one bar per day for 30 days');
      assert.deepEqual([...chart.keys()].slice(-1), ['2026-03-10'], 'today last');
      assert.deepEqual([chart.get('2026-03-10')?.stars, chart.get('2026-03-08')?.stars, chart.get('2026-02-28')?.stars, chart.get('2026-03-09')?.stars], [250, 250, 100, 0]);
      // The axis tops out at 500 (the next 1-2-5 step above 250): 250 is half the plot, 100 a fifth.
      assert.equal(chart.get('2026-03-10')?.height, PLOT / 2);
      assert.equal(chart.get('2026-02-28')?.height, PLOT / 5);
      assert.equal(chart.get('2026-03-09')?.height, 0);
      assert.match(page, /<title id="revenue-chart-title">Revenue per day \(UTC\), net of refunds<\/title>/);
      assert.match(page, /id="bot-status" data-running="false"/);

      await f.store.transaction(async (tx) => void (await tx.payments.markRefunded('charge-cy-1', f.now())));
      page = (await f.get('/')).text;
      assert.deepEqual(['kpi-revenue-today', 'kpi-revenue-all'].map((id) => textOfId(page, id)), ['0', '350'], 'a refund comes off the revenue');
      chart = bars(page);
      assert.equal(chart.get('2026-03-10')?.stars, 0);
      assert.equal(chart.get('2026-03-08')?.height, PLOT / 2, 'the other days keep their bars');
      assert.equal(chart.get('2026-02-28')?.height, PLOT / 5);
    });

    test('a running, healthy bot runtime shows on the card and clears the runtime warning', async (t) => {
      const f = await startPages(t, database);
      await seedShop(f);
      await writeHeartbeat(f.db, 1, { pid: 4242, host: 'bot-host', mode: 'polling', startedAt: f.now(), lastPollAt: f.now(), conflicts: 0, updatedAt: f.now() });
      const page = (await f.get('/')).text;
      assert.match(page, /id="bot-status" data-running="true" data-healthy="true"/);
      assert.match(page, /bot-host/);
      const warnings = (await f.get('/warnings')).text;
      assert.doesNotMatch(warnings, /data-warning="runtime-down"/);
      assert.doesNotMatch((await f.get(`/users/${USERS.evil}`)).text, /id="runtime-down"/);
    });
  });
}

describe('assets', () => {
  test('app.css, app.js and the icon with their types, an ETag and a short cache; 304 when unchanged', async (t) => {
    const [database] = await testDatabases();
    const f = await startPages(t, database!);
    for (const [path, type, needle] of [['/assets/app.css', /^text\/css/, '.kpi-value'], ['/assets/app.js', /^text\/javascript/, "credentials: 'same-origin'"], ['/assets/favicon.svg', /^image\/svg\+xml/, '<svg']] as const) {
      const res = await fetch(`${f.base}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
      assert.ok((await res.text()).includes(needle), `${path} is the real file`);
      const etag = res.headers.get('etag');
      assert.ok(etag);
      // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request, which forbids a 304.
      const again = await new Promise<number>((resolve, reject) => {
        get(`${f.base}${path}`, { headers: { 'if-none-match': etag } }, (r) => { r.resume(); resolve(r.statusCode ?? 0); }).on('error', reject);
      });
      assert.equal(again, 304, `${path} unchanged is a 304`);
    }
    assert.equal((await fetch(`${f.base}/assets/secret.txt`)).status, 404);
    assert.equal((await fetch(`${f.base}/assets/..%2F..%2Fpackage.json`)).status, 404);
  });
});
