/**
 * Every page renders (200) with its key content over a seeded shop, on SQLite
 * and PostgreSQL: no inline script or style, every form with the CSRF token,
 * the `<script>` first name escaped wherever it appears; unknown ids are HTML
 * 404s, bad queries 400s, and a database outage a 503 page.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { assertCspClean, assertFormsCarryCsrf } from './markup.js';
import { CSRF, EVIL, startPages } from './pages-fixture.js';
import { seedShop, USERS } from './seed.js';

const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** Each page with what it must show; `evil` when the script name or title appears on it. */
const PAGES: ReadonlyArray<{ path: string; shows: RegExp[]; evil: boolean }> = [
  { path: '/', shows: [/id="kpi-active"/, /<svg id="revenue-chart" role="img"/, /id="bot-status"/, /warnings<\/a> need/], evil: false },
  { path: '/subscribers', shows: [/<label for="q">Search<\/label>/, /<th scope="col">User<\/th>/, /href="\/users\/101"/], evil: true },
  { path: `/users/${USERS.evil}`, shows: [/data-expires-at="2026-04-07T12:00:00.000Z"/, />Grant<\/button>/, />Revoke<\/button>/, />Refund<\/button>/, /id="user-jobs"/], evil: true },
  { path: '/removals', shows: [/href="\/users\/102"/, /data-remove-at="2026-03-07T12:00:00.000Z"/], evil: true },
  { path: '/plans', shows: [/>Create plan<\/button>/, />Disable<\/button>/], evil: true },
  { path: '/plans/1', shows: [/>Save<\/button>/, /id="plan-title"[^>]*value="Monthly &lt;script&gt;/], evil: true },
  { path: '/payments', shows: [/href="\/api\/payments\?format=csv"[^>]*>Export CSV<\/a>/, /charge-cy-1/], evil: true },
  { path: '/broadcasts', shows: [/<textarea id="broadcast-text"/, />Send broadcast<\/button>/, />Preview<\/button>/], evil: false },
  { path: '/settings', shows: [/start\.greeting/, /Spanish \(español\)/, /next start/], evil: false },
  { path: '/audit', shows: [/<th scope="col">Who<\/th>/, /href="\/users\/104">user:104<\/a>/], evil: true },
  { path: '/warnings', shows: [/No bot runtime is running/, /The bot lacks rights in VIP &lt;script&gt;/, /SQLite on an ephemeral disk/], evil: true },
];

for (const database of await testDatabases()) {
  describe(`dashboard pages render (${database.kind})`, () => {
    test('every page: 200, its content, CSP-clean markup, CSRF in every form, names escaped', async (t) => {
      const f = await startPages(t, database, { staticWarnings: ['SQLite on an ephemeral disk: data is lost on redeploy.'] });
      await seedShop(f);
      for (const page of PAGES) {
        const res = await f.get(page.path);
        assert.equal(res.status, 200, `${page.path} answers 200: ${res.text.slice(0, 300)}`);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        for (const shown of page.shows) assert.match(res.text, shown, `${page.path} shows ${shown}`);
        assertCspClean(res.text, page.path);
        assertFormsCarryCsrf(res.text, CSRF, page.path);
        assert.ok(res.text.includes(`name="_csrf" value="${CSRF}"`), `${page.path}: the nav's logout form carries the token`);
        assert.ok(!res.text.includes(EVIL), `${page.path} never emits the script as markup`);
        if (page.evil) assert.ok(res.text.includes(ESCAPED), `${page.path} shows the script name as text`);
      }
      assert.deepEqual(f.logLines, [], 'nothing was logged as an error');
    });

    test('unknown ids are HTML 404 pages; bad queries are 400 pages; never a 500', async (t) => {
      const f = await startPages(t, database);
      await seedShop(f);
      const cases: Array<[string, number]> = [
        ['/users/999999', 404], ['/users/abc', 404], ['/users/99999999999999999999', 404], ['/plans/77', 404], ['/plans/99999999999', 404],
        ['/broadcasts/5', 404], ['/broadcasts/x', 404], ['/subscribers?status=vip', 400], ['/subscribers?page=0', 400], ['/subscribers?q=' + 'x'.repeat(200), 400],
        ['/payments?status=lost', 400], ['/payments?userId=-3', 400], ['/removals?window=1y', 400], ['/audit?action=%3Cb%3E', 400], ['/audit?page=abc', 400],
      ];
      for (const [path, status] of cases) {
        const res = await f.get(path);
        assert.equal(res.status, status, `${path} answers ${status}`);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/, `${path} is an HTML page`);
        assert.match(res.text, /<section class="card error-card" id="error"/);
        assert.doesNotMatch(res.text, /at [\w.]+ \(|node_modules|\.ts:\d+/, `${path} shows no stack trace`);
        assertCspClean(res.text, path);
      }
      const nowhere = await f.get('/no/such/page?x=<b>');
      assert.equal(nowhere.status, 404);
      assert.match(nowhere.text, /There is no page at \/no\/such\/page\./);
      assert.equal((await f.post('/subscribers', {})).status, 405, 'a known path with another method');
      const unknown = await f.get('/users/424242');
      assert.match(unknown.text, /There is no user 424242\./);
      const beyond = await f.get('/subscribers?page=3');
      assert.equal(beyond.status, 200, 'a page past the end is an empty page');
      assert.match(beyond.text, /No user matches\./);
      assert.match(beyond.text, /rel="prev" href="\/subscribers"/, 'with a way back to the last page');
    });

    test('while the database is down every page is a 503 page saying so', async (t) => {
      const f = await startPages(t, database);
      f.setOffline(true);
      for (const path of ['/', '/subscribers', '/users/1', '/settings', '/warnings']) {
        const res = await f.get(path);
        assert.equal(res.status, 503, path);
        assert.equal(res.headers.get('retry-after'), '5');
        assert.match(res.text, /Database unreachable/);
      }
      const post = await f.post('/plans', { title: 'x', price: '5', duration: '7d' });
      assert.equal(post.status, 503);
    });
  });
}
