/**
 * 409 Conflict survived, end to end (SPEC 5 item 3): the real `paywall bot`
 * and `paywall all` against the fake server while the test itself polls the
 * same token, as an old deployment still running would.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { createDb, readHeartbeat } from '../../src/db/index.js';
import { MAX_BACKOFF_MS } from '../../src/bot/conflict-tracker.js';
import type { RecordedCall } from '../fake-telegram/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { startedPids, waitUntil } from '../helpers/processes.js';

const POLLING = /"msg":"Polling for updates"/;
const DIAGNOSTIC = /another process is polling this token/g;
const LISTENING = /Dashboard listening on port (\d+)/;
const USER = { id: 7101, first_name: 'Eve', language_code: 'en' };

/** Another consumer of the token: long polls in a loop, never confirming an update. */
interface ExternalPoller {
  stop(): Promise<void>;
}

function startExternalPoller(h: Harness): ExternalPoller {
  const abort = new AbortController();
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`${h.fake.apiRoot}/bot${h.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ timeout: 10, limit: 1 }),
          signal: abort.signal,
        });
        const body = (await res.json()) as { ok: boolean; result?: unknown[] };
        // Pending updates are answered at once (this poller never confirms them): do not spin on them.
        if (body.ok && (body.result?.length ?? 0) > 0) await pause(200);
      } catch {
        if (!abort.signal.aborted) await pause(100);
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

/** The bot's own getUpdates (it always sends allowed_updates; the external poller never does). */
function botPolls(h: Harness): RecordedCall[] {
  return h.fake.calls({ method: 'getUpdates', token: h.token }).filter((c) => 'allowed_updates' in c.params);
}

const botConflicts = (h: Harness) => botPolls(h).filter((c) => c.status === 409).length;
const diagnostics = (text: string) => text.match(DIAGNOSTIC)?.length ?? 0;

async function startBot(h: Harness, giveUp: string) {
  const bot = h.spawn(['bot'], { env: { PAYWALL_CONFLICT_GIVEUP: giveUp } });
  await bot.waitForOutput(POLLING, 20_000);
  // The bot's first long poll is waiting, so the external poller's first request ends it with 409.
  await waitUntil(() => botPolls(h).some((c) => c.status === undefined), 10_000, 'the bot waits in a long poll');
  return bot;
}

async function heartbeatConflicts(h: Harness): Promise<number | undefined> {
  const config = loadConfig({ env: { DATABASE_URL: h.dbUrl }, cwd: h.dir });
  const db = await createDb(config.database, silentLogger());
  try {
    return (await readHeartbeat(db, h.botId))?.conflicts;
  } finally {
    await db.close();
  }
}

const databases = await testDatabases();
const sqlite = databases.find((d) => d.kind === 'sqlite') ?? databases[0]!;

// The tests mostly wait on timers, so they run side by side to keep the file short.
describe('409 Conflict with another poller', { concurrency: true }, () => {
  test('survived (sqlite): one diagnostic, counted in the heartbeat, polling resumes within the backoff, /start answered; a relapse is the same episode', async (t) => {
    const h = await createHarness(t, sqlite);
    const bot = await startBot(h, '5m');

    const external = startExternalPoller(h);
    t.after(() => external.stop());
    const externalFrom = Date.now();
    // At least 5 s, and until the bot has met the other poller twice (its first retry comes 4–6 s after the first 409).
    await waitUntil(() => Date.now() - externalFrom >= 5_000 && botConflicts(h) >= 2, 25_000, 'the bot retries into the other poller');
    await external.stop();
    const externalLastPoll = Date.now();
    assert.ok(!bot.exited, `the bot stays alive through the conflict:\n${bot.stderr()}`);
    assert.equal(diagnostics(bot.stderr()), 1, 'one diagnostic for the episode, not one per 409');
    assert.match(bot.stderr(), /Likely cause: an old deployment still running.*Fix: stop the other instance/);

    h.fake.userSends(h.token, { user: USER, text: '/start' });
    // Deadline from the external poller's last poll: the bot's longest backoff plus slack for a busy machine.
    await waitUntil(() => botPolls(h).some((c) => c.at >= externalLastPoll && c.status === 200), MAX_BACKOFF_MS + 10_000, 'the bot polls again after the other poller stops');
    const resumed = botPolls(h).find((c) => c.at >= externalLastPoll && c.status === 200)!;
    assert.ok(resumed.at - externalLastPoll <= MAX_BACKOFF_MS + 5_000, `resumed ${resumed.at - externalLastPoll} ms after the other poller stopped`);
    const reply = await h.fake.waitForCall({ method: 'sendMessage', token: h.token }, 10_000);
    assert.equal(Number(reply.params.chat_id), USER.id);
    assert.match(String(reply.params.text), /Welcome/);
    // The heartbeat is written when an episode starts; deadline from now.
    await waitUntil(async () => (await heartbeatConflicts(h)) === 1, 10_000, 'the heartbeat counts the conflict episode');

    // The other poller comes back before a full 30 s long poll without a 409: still the same episode.
    const conflictsBefore = botConflicts(h);
    const relapse = startExternalPoller(h);
    t.after(() => relapse.stop());
    await waitUntil(() => botConflicts(h) > conflictsBefore, 10_000, 'the bot meets the returning poller');
    await relapse.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(diagnostics(bot.stderr()), 1, 'still one diagnostic');
    assert.equal(await heartbeatConflicts(h), 1, 'still one episode');
    assert.doesNotMatch(bot.stderr(), /conflict is over/);

    bot.kill('SIGTERM');
    assert.equal((await bot.waitForExit(15_000)).code, 0, bot.stderr());
    h.assertNoTokenLeak();
  });

  test('`paywall all` (sqlite): the bot child exits 5 after the give-up time and is not restarted; the dashboard keeps running', async (t) => {
    const h = await createHarness(t, sqlite);
    const all = h.spawn(['all'], { env: { PAYWALL_CONFLICT_GIVEUP: '8s' } });
    const port = Number(LISTENING.exec(await all.waitForOutput(LISTENING, 20_000))![1]);
    const external = startExternalPoller(h);
    t.after(() => external.stop());
    // Give-up 8 s after the first 409, and the bot's start: 45 s from the dashboard being ready.
    await all.waitForOutput(/bot will not be restarted: another consumer has this bot token \(exit code 5\)/, 45_000);
    assert.equal(diagnostics(all.stderr()), 1);
    assert.match(all.stderr(), /PAYWALL_CONFLICT_GIVEUP reached/);
    // The supervisor restarts a crash after 0.5 s: wait well past that.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(startedPids(all.stderr(), 'bot').length, 1, 'the bot is not restarted');
    assert.ok(!all.exited, 'paywall all keeps running');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(health.status, 200, 'the dashboard still answers');
    all.kill('SIGTERM');
    assert.equal((await all.waitForExit(15_000)).code, 0, all.stderr());
    h.assertNoTokenLeak();
  });

  for (const database of databases) {
    test(`a conflict that never ends: exit 5 after PAYWALL_CONFLICT_GIVEUP, naming the cause and the fix (${database.kind})`, async (t) => {
      const h = await createHarness(t, database);
      const bot = await startBot(h, '8s');
      const external = startExternalPoller(h);
      t.after(() => external.stop());
      await waitUntil(() => botConflicts(h) >= 1, 10_000, 'the bot meets the other poller');
      const firstConflict = botPolls(h).find((c) => c.status === 409)!;
      // Deadline from the first 409: the 8 s give-up and the last retry just after it, plus slack.
      const exit = await bot.waitForExit(25_000);
      const lasted = Date.now() - firstConflict.at;
      assert.equal(exit.code, 5, bot.stderr());
      assert.ok(lasted >= 8_000, `gave up after ${lasted} ms, before the give-up time`);
      assert.equal(diagnostics(bot.stderr()), 1);
      assert.match(bot.stderr(), /paywall: Another consumer kept this token busy for \d+ s \(PAYWALL_CONFLICT_GIVEUP reached\)/);
      assert.match(bot.stderr(), /Stop the other consumer of this token \(an old deployment, another host\)/);
      assert.doesNotMatch(bot.stderr(), /\n\s+at /, 'no stack trace');
      h.assertNoTokenLeak();
    });
  }
});
