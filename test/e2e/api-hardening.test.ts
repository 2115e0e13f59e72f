/**
 * The malformed-input sweep against the real `paywall dashboard` process, on
 * SQLite and on PostgreSQL: at least 200 distinct malformed requests each get a
 * 4xx with a JSON `{error}` string, never a 5xx, never a stack trace; nothing
 * is logged as failed; /healthz still answers 200 afterwards and the process
 * stops cleanly. No secret appears in any answer or log line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIN_MALFORMED_REQUESTS, sweepMalformed } from '../dashboard/api/malformed-requests.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = 'hardening-password-5f2c9a';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const databases = await testDatabases();

test('the end-to-end sweep covers both databases whenever PostgreSQL is there (always under CI)', () => {
  assert.ok(databases.some((d) => d.kind === 'sqlite'));
  if (process.env.CI) assert.ok(databases.some((d) => d.kind === 'postgres'), 'CI runs the sweep on PostgreSQL too');
});

for (const database of databases) {
  describe(`paywall dashboard, malformed input (${database.kind})`, () => {
    test(`at least ${MIN_MALFORMED_REQUESTS} malformed requests each get a 4xx with an {error}; /healthz answers 200 afterwards`, async (t) => {
      const h = await createHarness(t, database);
      const proc = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: PASSWORD, PAYWALL_CHAT_ID: '-1009876543210' } });
      const base = `http://127.0.0.1:${LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]}`;
      const plan = await fetch(`${base}/api/plans`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Monthly', price: 250, duration: '30d' }),
      });
      assert.equal(((await plan.json()) as { id: number }).id, 1, 'plan 1 exists for the sweep');

      const sent = await sweepMalformed(base, AUTH);
      t.diagnostic(`${sent} malformed requests`);

      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', db: 'ok' });
      const plans = await fetch(`${base}/api/plans`, { headers: { authorization: AUTH } });
      assert.deepEqual(((await plans.json()) as { items: { id: number }[] }).items.map((p) => p.id), [1], 'no malformed request created anything');
      assert.equal(proc.exited, false);
      assert.doesNotMatch(proc.stderr(), /"level":50/, 'nothing failed on the server');

      proc.kill('SIGTERM');
      assert.equal((await proc.waitForExit(10_000)).code, 0);
      assert.ok(!proc.stdout().includes(PASSWORD) && !proc.stderr().includes(PASSWORD), 'the password never appears in output');
      h.assertNoTokenLeak();
    });
  });
}
