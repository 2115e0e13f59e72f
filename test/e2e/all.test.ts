/**
 * `paywall all` end to end: the real CLI supervising the real dashboard and
 * bot, against the fake Telegram server.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { FIXTURES } from '../helpers/paths.js';
import { isAlive, startedPids, waitUntil } from '../helpers/processes.js';
import type { PaywallProcess } from '../helpers/cli.js';

const LISTENING = /Dashboard listening on port (\d+)/;

async function dashboardPort(all: PaywallProcess): Promise<number> {
  const out = await all.waitForOutput(LISTENING, 20_000);
  return Number(LISTENING.exec(out)![1]);
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function pollsSince(h: Harness, since: number): boolean {
  return h.fake.calls({ method: 'getUpdates', token: h.token }).some((c) => c.at >= since);
}

const databases = await testDatabases();

for (const database of databases) {
  describe(`paywall all (${database.kind})`, () => {
    test('runs both; restarts a SIGKILLed bot; SIGTERM stops everything with exit 0', async (t) => {
      const h = await createHarness(t, database);
      const all = h.spawn(['all', '--grace', '8s']);
      const port = await dashboardPort(all);
      assert.ok(await healthy(port));
      await waitUntil(() => pollsSince(h, 0), 15_000, 'the bot child polls');
      const [botPid] = startedPids(all.stderr(), 'bot');
      assert.ok(botPid && isAlive(botPid));
      assert.match(all.stderr(), /^dashboard +\| /m, 'child lines are prefixed with the child name');
      assert.match(all.stderr(), /^bot +\| /m);

      process.kill(botPid, 'SIGKILL');
      const killedAt = Date.now();
      await waitUntil(() => startedPids(all.stderr(), 'bot').length === 2, 10_000, 'the bot child is restarted');
      await waitUntil(() => pollsSince(h, killedAt), 10_000, 'the restarted bot polls again');

      const [dashPid] = startedPids(all.stderr(), 'dashboard');
      const newBotPid = startedPids(all.stderr(), 'bot')[1]!;
      const stopAt = Date.now();
      all.kill('SIGTERM');
      const exit = await all.waitForExit(10_000);
      assert.equal(exit.code, 0, all.stderr());
      assert.ok(Date.now() - stopAt < 8_000, 'within the grace period');
      assert.ok(!isAlive(dashPid!) && !isAlive(newBotPid), 'nothing of the tree is left');
      h.assertNoTokenLeak();
    });
  });
}

describe('paywall all, failures', () => {
  const database = databases[0]!;

  test('a bot that crashes at once is given up after 5 crashes; the dashboard stays up', async (t) => {
    const h = await createHarness(t, database);
    const all = h.spawn(['all'], {
      env: { NODE_OPTIONS: `--require ${join(FIXTURES, 'crash-at-once.cjs')}`, CRASH_SUBCOMMAND: 'bot' },
    });
    const port = await dashboardPort(all);
    await all.waitForOutput(/bot crashed 5 times within .*not restarting it any more/, 30_000);
    assert.equal(startedPids(all.stderr(), 'bot').length, 5);
    assert.ok(!all.exited);
    assert.ok(await healthy(port), 'the dashboard still answers');
    all.kill('SIGTERM');
    assert.equal((await all.waitForExit(15_000)).code, 0);
  });

  test('SIGKILL of `paywall all`: its children exit by themselves within 5 s', async (t) => {
    const h = await createHarness(t, database);
    const all = h.spawn(['all']);
    await dashboardPort(all);
    await waitUntil(() => pollsSince(h, 0), 15_000, 'the bot child polls');
    const pids = [...startedPids(all.stderr(), 'dashboard'), ...startedPids(all.stderr(), 'bot')];
    assert.equal(pids.length, 2);
    all.kill('SIGKILL');
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5_000, `children ${pids.join(', ')} gone`);
  });

  test('without a token: the dashboard alone, saying why and how to enable the bot', async (t) => {
    const h = await createHarness(t, database);
    const all = h.spawn(['all'], { env: { TELEGRAM_BOT_TOKEN: undefined } });
    const port = await dashboardPort(all);
    assert.ok(await healthy(port));
    assert.match(all.stderr(), /TELEGRAM_BOT_TOKEN is not set: running the dashboard alone.*set TELEGRAM_BOT_TOKEN/);
    assert.deepEqual(startedPids(all.stderr(), 'bot'), []);
    all.kill('SIGTERM');
    assert.equal((await all.waitForExit(15_000)).code, 0);
  });

  test('a token Telegram rejects: the bot exits 4 and is not restarted', async (t) => {
    const h = await createHarness(t, database);
    h.fake.revokeToken(h.token);
    const all = h.spawn(['all']);
    const port = await dashboardPort(all);
    await all.waitForOutput(/bot will not be restarted: Telegram rejected the bot token/, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(startedPids(all.stderr(), 'bot').length, 1);
    assert.ok(await healthy(port));
    all.kill('SIGTERM');
    assert.equal((await all.waitForExit(15_000)).code, 0);
    h.assertNoTokenLeak();
  });
});
