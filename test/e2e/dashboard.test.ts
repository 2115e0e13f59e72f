/** `paywall dashboard`: /healthz, readiness over IPC, port in use, SIGTERM — on both databases. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';

const LISTENING = /Dashboard listening on port (\d+)/;

for (const database of await testDatabases()) {
  describe(`paywall dashboard (${database.kind})`, () => {
    test('serves /healthz, sends visitors to the login page, reports ready over IPC, exits 0 on SIGTERM', async (t) => {
      const h = await createHarness(t, database);
      const dashboard = h.spawn(['dashboard'], { ipc: true });
      const ready = new Promise<Record<string, unknown>>((resolve) => dashboard.child.on('message', (m) => resolve(m as Record<string, unknown>)));
      const out = await dashboard.waitForOutput(LISTENING, 15_000);
      const port = Number(LISTENING.exec(out)![1]);
      const message = await ready;
      assert.equal(message.type, 'ready');
      assert.equal(message.port, port);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', db: 'ok' });
      const home = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      assert.equal(home.status, 303);
      assert.equal(home.headers.get('location'), '/login');
      assert.match(home.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      assert.equal(login.status, 200);
      assert.match(await login.text(), /name="password"/);
      const missing = await fetch(`http://127.0.0.1:${port}/api/nope`);
      assert.equal(missing.status, 401, 'an unknown API path still needs credentials');
      assert.ok(((await missing.json()) as { error: string }).error);

      dashboard.kill('SIGTERM');
      assert.equal((await dashboard.waitForExit(10_000)).code, 0);
      h.assertNoTokenLeak();
    });
  });
}

describe('paywall dashboard, database unreachable', () => {
  test('starts anyway, answers 503 from /healthz without secrets, and stops cleanly', async (t) => {
    const [database] = await testDatabases();
    const h = await createHarness(t, database!);
    const url = 'postgres://paywall:hunter2-secret@127.0.0.1:1/paywall';
    const dashboard = h.spawn(['dashboard'], { env: { DATABASE_URL: url } });
    const out = await dashboard.waitForOutput(LISTENING, 15_000);
    const port = Number(LISTENING.exec(out)![1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 503);
    const body = await health.text();
    assert.deepEqual(JSON.parse(body), { status: 'degraded', db: 'unreachable' });
    dashboard.kill('SIGTERM');
    assert.equal((await dashboard.waitForExit(10_000)).code, 0);
    assert.ok(!(dashboard.stderr() + body).includes('hunter2-secret'), 'the database password never appears');
  });
});

describe('paywall dashboard, port in use', () => {
  test('exits 2 naming the port', async (t) => {
    const [database] = await testDatabases();
    const h = await createHarness(t, database!);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const result = await h.run(['dashboard', '--port', String(port)]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`Port ${port} .*already in use`));
    assert.match(result.stderr, /PORT or --port/);
  });
});
