/**
 * The JSON API of the real `paywall dashboard` process, on both databases:
 * authentication, plans, grants, users, refunds, broadcasts, the bot status,
 * and the generated password. The malformed-input sweep is in
 * api-hardening.test.ts, the CSV export in csv-export.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = 'e2e-password-Ünïcode:with:colons';
const CHAT = '-1009876543210';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Client {
  port: number;
  call(method: string, path: string, body?: unknown, auth?: string | null): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

async function startDashboard(h: Harness, env: Record<string, string | undefined>) {
  const proc = h.spawn(['dashboard'], { env });
  const port = Number(LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]);
  return { proc, port };
}

function client(port: number, password: string): Client {
  return {
    port,
    async call(method, path, body, auth = basic('admin', password)) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { ...(auth === null ? {} : { authorization: auth }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* CSV or text */ }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
  };
}

const ROUTES: [string, string][] = [
  ['GET', '/api/stats'], ['GET', '/api/users'], ['GET', '/api/users/1'], ['POST', '/api/users/1/grant'], ['POST', '/api/users/1/revoke'],
  ['GET', '/api/plans'], ['POST', '/api/plans'], ['PATCH', '/api/plans/1'], ['GET', '/api/payments'], ['GET', '/api/payments?format=csv'],
  ['POST', '/api/payments/x/refund'], ['POST', '/api/broadcasts'], ['GET', '/api/broadcasts/1'], ['GET', '/api/bot'],
];

for (const database of await testDatabases()) {
  describe(`paywall dashboard JSON API (${database.kind})`, () => {
    test('auth, plans, grant and revoke, user lists, refunds, broadcasts, bot status', async (t) => {
      const h = await createHarness(t, database);
      const { proc, port } = await startDashboard(h, { DASHBOARD_PASSWORD: PASSWORD, PAYWALL_CHAT_ID: CHAT });
      const api = client(port, PASSWORD);

      // Wrong passwords count against the login throttle (five per address): two of them, on the first route only.
      for (const [i, [method, path]] of ROUTES.entries()) {
        for (const auth of [null, 'Basic %%%', ...(i === 0 ? [basic('admin', 'wrong'), basic('admin', `${PASSWORD}x`)] : [])]) {
          const res = await api.call(method, path, method === 'GET' ? undefined : {}, auth);
          assert.equal(res.status, 401, `${method} ${path}`);
          assert.equal(res.headers.get('www-authenticate'), 'Basic realm="paywall"');
          assert.equal(typeof res.body.error, 'string');
        }
      }

      const created = await api.call('POST', '/api/plans', { title: 'Monthly', description: 'd', price: 250, duration: '30d', chatIds: [Number(CHAT)], recurring: true });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body, { id: created.body.id, title: 'Monthly', description: 'd', price: 250, duration: '30d', chatIds: [Number(CHAT)], active: true, recurring: true });
      const patched = await api.call('PATCH', `/api/plans/${created.body.id}`, { price: 300, active: false });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body, { ...created.body, price: 300, active: false });
      assert.deepEqual((await api.call('GET', '/api/plans')).body, { items: [patched.body], page: 1, limit: 50, total: 1 });
      assert.equal((await api.call('POST', '/api/plans', { title: 'Bad', price: 0, duration: '30d' })).status, 400);

      const granted = await api.call('POST', '/api/users/424242/grant', { duration: '7d' });
      assert.equal(granted.status, 200, granted.text);
      assert.equal(granted.body.id, 424242);
      assert.equal(granted.body.subscriptions[0].status, 'active');
      assert.deepEqual(granted.body.subscriptions[0].chatIds, [Number(CHAT)]);
      assert.ok(Date.parse(granted.body.subscriptions[0].expiresAt) > Date.now() + 6 * 86_400_000);
      const onPlan = await api.call('POST', '/api/users/515151/grant', { duration: '1d', planId: created.body.id });
      assert.equal(onPlan.status, 200, onPlan.text);
      assert.equal(onPlan.body.subscriptions[0].planId, created.body.id);

      assert.deepEqual((await api.call('GET', '/api/users?status=active')).body.items.map((u: { id: number }) => u.id), [424242, 515151]);
      assert.deepEqual((await api.call('GET', '/api/users?q=4242')).body.items.map((u: { id: number }) => u.id), []);
      assert.deepEqual((await api.call('GET', '/api/users?q=424242')).body.items.map((u: { id: number }) => u.id), [424242]);
      const paged = await api.call('GET', '/api/users?limit=1&page=2');
      assert.deepEqual([paged.body.items.length, paged.body.page, paged.body.limit, paged.body.total], [1, 2, 1, 2]);
      for (const bad of ['limit=0', 'limit=501', 'page=0']) assert.equal((await api.call('GET', `/api/users?${bad}`)).status, 400, bad);

      const revoked = await api.call('POST', '/api/users/424242/revoke');
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal(revoked.body.subscriptions[0].status, 'revoked');
      assert.deepEqual((await api.call('GET', '/api/users?status=expired')).body.items.map((u: { id: number }) => u.id), [424242]);
      assert.equal((await api.call('GET', '/api/users/999')).status, 404);

      assert.equal((await api.call('POST', '/api/payments/no-such-charge/refund')).status, 404);
      const badHtml = await api.call('POST', '/api/broadcasts', { text: '<b>unclosed', audience: 'all' });
      assert.equal(badHtml.status, 400);
      assert.match(badHtml.body.error, /HTML/);
      const bot = await api.call('GET', '/api/bot');
      assert.equal(bot.status, 200);
      assert.equal(bot.body.running, false);
      const stats = await api.call('GET', '/api/stats');
      assert.deepEqual([stats.body.users, stats.body.activeSubscribers, stats.body.revenueStars, stats.body.payments], [2, 1, 0, 0]);

      assert.doesNotMatch(proc.stderr(), /"level":50/, 'nothing failed on the server');
      proc.kill('SIGTERM');
      assert.equal((await proc.waitForExit(10_000)).code, 0);
      assert.ok(!proc.stdout().includes(PASSWORD) && !proc.stderr().includes(PASSWORD), 'the password never appears in output');
      h.assertNoTokenLeak();
    });

    test('without DASHBOARD_PASSWORD the first start prints a generated password once, as one bare line', async (t) => {
      const h = await createHarness(t, database);
      const first = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: undefined } });
      const port = Number(LISTENING.exec(await first.waitForOutput(LISTENING, 20_000))![1]);
      await waitFor(() => first.stdout().includes('\n'), 5_000);
      const stdout = first.stdout();
      assert.match(stdout, /^[A-Za-z0-9_-]{24}\n$/, 'one bare line');
      const password = stdout.trim();
      assert.ok(!first.stderr().includes(password), 'never through the logger');
      assert.equal((await client(port, password).call('GET', '/api/stats')).status, 200);
      assert.equal((await client(port, `${password}x`).call('GET', '/api/stats')).status, 401);
      first.kill('SIGTERM');
      assert.equal((await first.waitForExit(10_000)).code, 0);

      const second = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: undefined } });
      const port2 = Number(LISTENING.exec(await second.waitForOutput(LISTENING, 20_000))![1]);
      assert.equal((await client(port2, password).call('GET', '/api/stats')).status, 200, 'the stored password still works');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(second.stdout(), '', 'the second start prints nothing');
      second.kill('SIGTERM');
      assert.equal((await second.waitForExit(10_000)).code, 0);
    });
  });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
