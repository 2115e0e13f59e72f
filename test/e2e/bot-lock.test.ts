/**
 * The per-token lock, end to end: real `paywall bot` processes against the
 * fake Telegram server, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { createFakeTelegram } from '../fake-telegram/index.js';

const POLLING = /"msg":"Polling for updates"/;

for (const database of await testDatabases()) {
  describe(`paywall bot lock (${database.kind})`, () => {
    test('a second bot with the same token exits 3 within 2 s, names the holder, and never polls', async (t) => {
      const h = await createHarness(t, database);
      const first = h.spawn(['bot']);
      await first.waitForOutput(POLLING, 15_000);
      await h.fake.waitForCall({ method: 'getUpdates', token: h.token }, 5_000);
      const pollsBefore = h.fake.getUpdatesCount(h.token);

      const started = Date.now();
      const second = await h.run(['bot']);
      const elapsed = Date.now() - started;

      assert.equal(second.code, 3, second.stderr);
      assert.ok(elapsed < 2_000, `refused in ${elapsed} ms`);
      assert.match(second.stderr, new RegExp(`pid ${first.pid}\\b`));
      assert.match(second.stderr, /on host \S+, started \d{4}-\d\d-\d\dT/);
      assert.match(second.stderr, new RegExp(`lock ${h.lockDir}/[0-9a-f]{16}\\.lock`));
      assert.equal(h.fake.getUpdatesCount(h.token), pollsBefore, 'the refused instance called getUpdates');
      assert.equal(h.fake.calls({ method: 'getUpdates' }).filter((c) => c.status === 409).length, 0);
      assert.ok(!first.exited, 'the holder kept running');
      for (const name of readdirSync(h.lockDir)) assert.ok(!name.includes(h.token.split(':')[1]!), `lock file name ${name}`);
      h.assertNoTokenLeak();
    });

    test('two tokens, each with its own database, run side by side', async (t) => {
      const fake = await createFakeTelegram();
      t.after(() => fake.close());
      const a = await createHarness(t, database, { fake });
      const b = await createHarness(t, database, { fake, lockDir: a.lockDir });
      const botA = a.spawn(['bot']);
      const botB = b.spawn(['bot']);
      await Promise.all([botA.waitForOutput(POLLING, 15_000), botB.waitForOutput(POLLING, 15_000)]);
      fake.userSends(a.token, { user: { id: 5001, first_name: 'Ann' }, text: '/start' });
      fake.userSends(b.token, { user: { id: 5002, first_name: 'Ben' }, text: '/start' });
      await fake.waitForCall({ method: 'sendMessage', token: a.token }, 10_000);
      await fake.waitForCall({ method: 'sendMessage', token: b.token }, 10_000);
      assert.ok(!botA.exited && !botB.exited);
      a.assertNoTokenLeak();
      b.assertNoTokenLeak();
    });

    test('after the holder is SIGKILLed, a new bot takes the lock at once and polls within 3 s', async (t) => {
      const h = await createHarness(t, database);
      const first = h.spawn(['bot']);
      await first.waitForOutput(POLLING, 15_000);
      first.kill('SIGKILL');
      await first.waitForExit(5_000);

      const startedAt = Date.now();
      const second = h.spawn(['bot']);
      const call = await h.fake.waitForCall((c) => c.method === 'getUpdates' && c.token === h.token && c.at >= startedAt, 5_000);
      const latency = call.at - startedAt;
      assert.ok(latency < 3_000, `polled ${latency} ms after its start`);
      assert.match(second.stderr(), /Taking over the lock left by a process that is no longer running/);
      h.assertNoTokenLeak();
    });

    test('`paywall bot --wait` takes over when the holder is SIGKILLed', async (t) => {
      const h = await createHarness(t, database);
      const first = h.spawn(['bot']);
      await first.waitForOutput(POLLING, 15_000);
      const waiting = h.spawn(['bot', '--wait']);
      await waiting.waitForOutput(new RegExp(`Waiting for the lock: held by pid ${first.pid}`), 10_000);
      assert.ok(!waiting.exited);

      first.kill('SIGKILL');
      const killedAt = Date.now();
      await waiting.waitForOutput(POLLING, 5_000);
      await h.fake.waitForCall((c) => c.method === 'getUpdates' && c.at >= killedAt, 5_000);
      h.fake.userSends(h.token, { user: { id: 6001, first_name: 'Cy' }, text: '/start' });
      await h.fake.waitForCall({ method: 'sendMessage', token: h.token }, 10_000);
      h.assertNoTokenLeak();
    });
  });
}
