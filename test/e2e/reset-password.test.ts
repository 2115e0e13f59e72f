/**
 * `paywall reset-password` against a running `paywall dashboard`, on both
 * databases: refused while DASHBOARD_PASSWORD is set; otherwise one bare line
 * on stdout, the old password refused and the new one accepted at once, every
 * session ended, the reset audited.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import { createBrowser } from '../dashboard/auth/app-fixture.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

for (const database of await testDatabases()) {
  describe(`paywall reset-password (${database.kind})`, () => {
    test('exits 2 while DASHBOARD_PASSWORD is set, printing nothing and never the password', async (t) => {
      const h = await createHarness(t, database);
      const result = await h.run(['reset-password'], { env: { DASHBOARD_PASSWORD: 'set-by-env-secret' } });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /DASHBOARD_PASSWORD is set/);
      assert.match(result.stderr, /unset it/);
      assert.ok(!result.stderr.includes('set-by-env-secret'));
    });

    test('a new password for a running dashboard: printed once, old refused, new accepted, sessions ended', async (t) => {
      const h = await createHarness(t, database);
      const dashboard = h.spawn(['dashboard']);
      const port = Number(LISTENING.exec(await dashboard.waitForOutput(LISTENING, 20_000))![1]);
      await waitUntil(() => dashboard.stdout().includes('\n'), 5_000, 'the generated password');
      const old = dashboard.stdout().trim();
      const base = `http://127.0.0.1:${port}`;
      const api = async (password: string) => (await fetch(`${base}/api/stats`, { headers: { authorization: basic(password) } })).status;
      const browser = createBrowser(base);
      assert.equal((await browser.logIn(old)).status, 303);
      assert.equal((await browser.request('GET', '/')).status, 200);
      assert.equal(await api(old), 200);

      const result = await h.run(['reset-password']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^[A-Za-z0-9_-]{24}\n$/, 'one bare line');
      const fresh = result.stdout.trim();
      assert.notEqual(fresh, old);
      assert.ok(!result.stderr.includes(fresh), 'never through the logger');
      assert.match(result.stderr, /ended 1 dashboard session/);

      assert.equal(await api(old), 401, 'the old password is refused at once');
      assert.equal(await api(fresh), 200, 'the new one works at once');
      assert.equal((await browser.request('GET', '/')).status, 303, 'the session was ended');
      assert.equal((await browser.request('GET', '/api/stats')).status, 401);
      assert.equal((await createBrowser(base).logIn(old)).status, 401);
      assert.equal((await createBrowser(base).logIn(fresh)).status, 303);

      const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
      t.after(() => db.close());
      const audit = await db.knex('audit_log').where({ action: 'reset_password' }).select('actor', 'details');
      assert.equal(audit.length, 1);
      assert.equal(audit[0].actor, 'cli:reset-password');
      assert.deepEqual(JSON.parse(audit[0].details), { sessionsEnded: 1 });
      assert.equal((await db.knex('admin_sessions').count({ n: '*' }))[0]!.n, 1, 'only the session opened after the reset');

      dashboard.kill('SIGTERM');
      assert.equal((await dashboard.waitForExit(10_000)).code, 0);
      assert.ok(!dashboard.stderr().includes(fresh) && !dashboard.stdout().includes(fresh), 'the dashboard never shows the new password');
      h.assertNoTokenLeak();
    });
  });
}
