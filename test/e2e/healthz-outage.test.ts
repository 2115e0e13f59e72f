/**
 * `paywall dashboard` through a PostgreSQL outage, cut by a loopback TCP
 * proxy: /healthz answers 503 `{"status":"degraded","db":"unreachable"}` within
 * the probe's 2 s while the database is away and 200 once it is back; the API
 * answers 503 `{error}` meanwhile and works again after; a dashboard started
 * during the outage comes up and recovers by itself. No answer and no log line
 * carries a secret.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { PaywallProcess } from '../helpers/cli.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { createTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = `dash-${randomBytes(9).toString('base64url')}`;
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
/** The probe gives up after 2 s (SPEC 6); an answer may take a little longer than that. */
const PROBE_BOUND_MS = 3_000;

const postgres = (await testDatabases()).find((d) => d.kind === 'postgres');

interface Answer {
  status: number;
  text: string;
  ms: number;
}

interface Running {
  proc: PaywallProcess;
  get(path: string, init?: { method?: string; body?: unknown }): Promise<Answer>;
  /** Every body answered so far, for the secrets check. */
  bodies: string[];
}

/** DATABASE_URL through the proxy, with a password that trust authentication ignores. */
function proxiedUrl(h: Harness, proxy: TcpProxy, dbPassword: string): string {
  const url = new URL(h.dbUrl);
  url.port = String(proxy.port);
  url.username = 'postgres';
  url.password = dbPassword;
  return url.toString();
}

async function startDashboard(h: Harness, databaseUrl: string): Promise<Running> {
  const proc = h.spawn(['dashboard'], { env: { DATABASE_URL: databaseUrl, DASHBOARD_PASSWORD: PASSWORD, PAYWALL_CHAT_ID: '-1001234567890' } });
  const port = Number(LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]);
  const bodies: string[] = [];
  return {
    proc,
    bodies,
    async get(path, init = {}) {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: AUTH, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      bodies.push(text);
      return { status: res.status, text, ms: Date.now() - started };
    },
  };
}

/** Polls /healthz until it answers `status`; every answer must come within the probe's bound. */
async function healthBecomes(d: Running, status: number, timeoutMs: number): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await d.get('/healthz');
    assert.ok(answer.ms <= PROBE_BOUND_MS, `/healthz took ${answer.ms} ms`);
    if (answer.status === status) return answer;
    assert.ok(Date.now() < deadline, `/healthz still answers ${answer.status} ${answer.text} after ${timeoutMs} ms, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const DEGRADED = { status: 'degraded', db: 'unreachable' };
const API_READS = ['/api/stats', '/api/users', '/api/plans', '/api/payments', '/api/bot', '/api/users/77'];

async function assertApiUnavailable(d: Running): Promise<void> {
  for (const path of API_READS) {
    const answer = await d.get(path);
    assert.equal(answer.status, 503, `${path} → ${answer.status} ${answer.text}`);
    assert.equal(typeof (JSON.parse(answer.text) as { error: unknown }).error, 'string');
    assert.ok(answer.ms <= PROBE_BOUND_MS + 1_000, `${path} took ${answer.ms} ms`);
  }
  const grant = await d.get('/api/users/77/grant', { method: 'POST', body: { duration: '1d' } });
  assert.equal(grant.status, 503, grant.text);
}

function assertNoSecrets(h: Harness, d: Running, dbPassword: string): void {
  const texts = [...d.bodies, d.proc.stdout(), d.proc.stderr()];
  for (const secret of [dbPassword, encodeURIComponent(dbPassword), PASSWORD, h.token]) {
    assert.ok(!texts.some((text) => text.includes(secret)), 'no secret in any answer or log line');
  }
  h.assertNoTokenLeak();
}

describe('paywall dashboard through a PostgreSQL outage', { skip: postgres ? false : 'PostgreSQL is not reachable' }, () => {
  test('/healthz and the API answer 503 while the database is cut and recover once it is back, the process running throughout', async (t) => {
    const h = await createHarness(t, postgres!);
    const proxy = await createTcpProxy(t);
    const dbPassword = `pgpw-${randomBytes(9).toString('hex')}`;
    const d = await startDashboard(h, proxiedUrl(h, proxy, dbPassword));
    assert.deepEqual(JSON.parse((await healthBecomes(d, 200, 5_000)).text), { status: 'ok', db: 'ok' });
    assert.equal((await d.get('/api/users/77/grant', { method: 'POST', body: { duration: '1d' } })).status, 200);

    // The API first: its own failing request must already be a 503, before any health probe has noticed.
    proxy.cut();
    await assertApiUnavailable(d);
    assert.deepEqual(JSON.parse((await healthBecomes(d, 503, 0)).text), DEGRADED);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.deepEqual(JSON.parse((await healthBecomes(d, 503, 0)).text), DEGRADED, 'still degraded while cut');
    await assertApiUnavailable(d);

    proxy.restore();
    assert.deepEqual(JSON.parse((await healthBecomes(d, 200, 10_000)).text), { status: 'ok', db: 'ok' });
    const stats = await d.get('/api/stats');
    assert.equal(stats.status, 200, stats.text);
    assert.equal((JSON.parse(stats.text) as { users: number }).users, 1);
    assert.equal((await d.get('/api/users/78/grant', { method: 'POST', body: { duration: '1d' } })).status, 200);
    assert.equal(d.proc.exited, false, 'the dashboard kept running');

    d.proc.kill('SIGTERM');
    assert.equal((await d.proc.waitForExit(10_000)).code, 0);
    assertNoSecrets(h, d, dbPassword);
  });

  test('a dashboard started while the database is cut comes up, answers 503, and turns 200 once it is back', async (t) => {
    const h = await createHarness(t, postgres!);
    const proxy = await createTcpProxy(t);
    const dbPassword = `pgpw-${randomBytes(9).toString('hex')}`;
    proxy.cut();
    const d = await startDashboard(h, proxiedUrl(h, proxy, dbPassword));
    assert.deepEqual(JSON.parse((await healthBecomes(d, 503, 0)).text), DEGRADED);
    await assertApiUnavailable(d);

    proxy.restore();
    assert.deepEqual(JSON.parse((await healthBecomes(d, 200, 15_000)).text), { status: 'ok', db: 'ok' });
    const grant = await d.get('/api/users/77/grant', { method: 'POST', body: { duration: '1d' } });
    assert.equal(grant.status, 200, grant.text);
    assert.equal(d.proc.exited, false, 'the dashboard kept running');

    d.proc.kill('SIGTERM');
    assert.equal((await d.proc.waitForExit(10_000)).code, 0);
    assertNoSecrets(h, d, dbPassword);
  });
});
