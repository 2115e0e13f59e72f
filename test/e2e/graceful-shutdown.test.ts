/**
 * Graceful shutdown of `paywall bot` (issue 5, item 7): SIGTERM while it is
 * handling a batch of slow updates. It finishes the update in hand, leaves
 * the rest in its inbox, confirms the offset, releases the instance lock (and on
 * PostgreSQL the database lease) and exits 0, within PAYWALL_SHUTDOWN_GRACE.
 * A bot started right afterwards, without --wait, handles what was left and
 * nothing twice.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import { leaseKey, LEASE_NAMESPACE } from '../../src/lock/lease-key.js';
import type { FakeUser } from '../fake-telegram/index.js';
import type { PaywallProcess } from '../helpers/cli.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const UPDATES = 20;
const POLLING = /"msg":"Polling for updates"/;

/** One queued /start: who sent it and its update_id. */
interface Start { user: FakeUser; updateId: number }

const users = (count: number, firstId: number): FakeUser[] =>
  Array.from({ length: count }, (_, i) => ({ id: firstId + i, first_name: `Waiting${i}` }));

/** Successful sendMessage calls per chat. */
function answersPerChat(h: Harness): Map<number, number> {
  const counts = new Map<number, number>();
  for (const call of h.fake.calls({ method: 'sendMessage', token: h.token })) {
    if (call.status !== 200) continue;
    const chat = Number(call.params.chat_id);
    counts.set(chat, (counts.get(chat) ?? 0) + 1);
  }
  return counts;
}

/** How many sessions hold this bot's database lease (PostgreSQL advisory lock). */
async function leaseHolders(h: Harness): Promise<number> {
  const { key } = leaseKey(createHash('sha256').update(h.token).digest('hex').slice(0, 16));
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    const rows = (await db.knex.raw(
      "select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and classid = ? and objid = ? and objsubid = 2",
      [LEASE_NAMESPACE, key >>> 0],
    )) as { rows: { n: number }[] };
    return rows.rows[0]!.n;
  } finally {
    await db.close();
  }
}

/** The update ids kept in the inbox (polled, confirmed, not yet handled). */
async function inboxIds(h: Harness): Promise<number[]> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    return (await db.knex('update_inbox').orderBy('update_id').select('update_id')).map((row: { update_id: unknown }) => Number(row.update_id));
  } finally {
    await db.close();
  }
}

/**
 * Pushes `perUser` /starts for each user, round robin, before the bot starts,
 * so that its first getUpdates takes them all as one batch.
 */
function queueStarts(h: Harness, senders: FakeUser[], perUser = 1): Start[] {
  const starts: Start[] = [];
  for (let round = 0; round < perUser; round++) {
    for (const user of senders) starts.push({ user, updateId: h.fake.userSends(h.token, { user, text: '/start' }) });
  }
  return starts;
}

/** Starts a bot (no --wait: the lock and lease must be free) and waits until it polls. */
async function startBot(h: Harness, env: Record<string, string> = {}): Promise<PaywallProcess> {
  const bot = h.spawn(['bot'], { env });
  await bot.waitForOutput(POLLING, 20_000);
  return bot;
}

/** SIGTERM once the first answer has gone out; resolves with the exit and how long it took from the signal. */
async function terminateMidBatch(h: Harness, bot: PaywallProcess, boundMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  await h.fake.waitForCall({ method: 'sendMessage', token: h.token, status: 200 }, 20_000);
  const signalled = Date.now();
  bot.kill('SIGTERM');
  const exit = await bot.waitForExit(boundMs);
  return { ...exit, ms: Date.now() - signalled };
}

/**
 * After the first bot: the confirmed offset is past every update fetched,
 * and the inbox holds those not handled (a user's updates are handled in
 * order, so a user with k answers had their first k handled); a second bot,
 * started at once without --wait, handles the rest; then every /start has
 * had exactly one answer.
 */
async function checkHandOver(h: Harness, starts: Start[]): Promise<PaywallProcess> {
  const answered = answersPerChat(h);
  const seen = new Map<number, number>();
  const unhandled: number[] = [];
  for (const { user, updateId } of starts) {
    const nth = (seen.get(user.id) ?? 0) + 1;
    seen.set(user.id, nth);
    if (nth > (answered.get(user.id) ?? 0)) unhandled.push(updateId);
  }
  assert.ok(unhandled.length < starts.length, 'the first bot answered at least the first update');
  // Every fetched update was kept in the inbox before its offset was confirmed: what is left waits there, not at Telegram.
  assert.equal(h.fake.lastConfirmedOffset(h.token), Math.max(...starts.map((s) => s.updateId)) + 1, 'the offset confirms every update fetched');
  assert.deepEqual(await inboxIds(h), unhandled.sort((a, b) => a - b), 'the inbox holds exactly the updates left unhandled');

  h.fake.setChaos(undefined);
  const second = await startBot(h);
  // One more /start per user: a user's updates are handled in order, so once it is answered, everything
  // left for that user (or delivered again) has been handled too.
  for (const user of new Map(starts.map((s) => [s.user.id, s.user])).values()) h.fake.userSends(h.token, { user, text: '/start' });
  const expected = [...seen].map(([id, sent]) => [id, sent + 1] as const);
  // From the second bot's start: each user's remaining answers, one per second per chat (Telegram's limit).
  await waitUntil(() => expected.every(([id, n]) => (answersPerChat(h).get(id) ?? 0) >= n), 40_000, 'the second bot answered what was left');
  const final = answersPerChat(h);
  const wrong = expected.filter(([id, n]) => final.get(id) !== n).map(([id, n]) => `user ${id}: ${n} /start, ${final.get(id) ?? 0} answers`);
  assert.deepEqual(wrong, [], 'every /start answered exactly once across both bots');
  return second;
}

async function stop(bot: PaywallProcess): Promise<void> {
  bot.kill('SIGTERM');
  assert.deepEqual(await bot.waitForExit(15_000), { code: 0, signal: null }, bot.stderr().slice(-2000));
}

const databases = await testDatabases();

for (const database of databases) {
  describe(`graceful shutdown (${database.kind})`, () => {
    test('SIGTERM mid-batch: in-hand work finished, offset confirmed, lock and lease released, exit 0', async (t) => {
      const h = await createHarness(t, database);
      const starts = queueStarts(h, users(UPDATES, 960_000));
      // Each answer takes 60–600 ms: the batch is still being handled when SIGTERM comes.
      h.fake.setChaos({ rate: 1, kinds: ['latency'], methods: ['sendMessage'], latencyMs: 600, seed: 7 });
      const first = await startBot(h);
      if (database.kind === 'postgres') assert.equal(await leaseHolders(h), 1, 'the running bot holds the database lease');

      // From SIGTERM: at most the rest of the batch (20 × 600 ms handled one by one) and the runtime's stop.
      const exit = await terminateMidBatch(h, first, 20_000);
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, first.stderr().slice(-2000));
      assert.match(first.stderr(), /Stopped polling; offset confirmed/);
      // Released, not merely left to a dead pid (which the next bot would take over anyway).
      assert.deepEqual(readdirSync(h.lockDir).filter((name) => name.endsWith('.lock')), [], 'the instance lock was released');
      if (database.kind === 'postgres') assert.equal(await leaseHolders(h), 0, 'the lease was released');

      const second = await checkHandOver(h, starts);
      if (database.kind === 'postgres') assert.equal(await leaseHolders(h), 1, 'the second bot took the lease');
      await stop(second);
      t.diagnostic(`${database.kind}: exit ${exit.ms} ms after SIGTERM`);
      h.assertNoTokenLeak();
    });
  });
}

describe('graceful shutdown within PAYWALL_SHUTDOWN_GRACE', () => {
  test('a batch slower than the grace: the bot stops after the updates in hand and exits in time, losing and repeating nothing', async (t) => {
    const h = await createHarness(t, databases.find((d) => d.kind === 'sqlite')!);
    // Two users, ten /starts each: a user's updates are handled one at a time, each answer at most one per
    // second to that chat (Telegram's limit) and 150–1500 ms slow, so the batch needs 10–15 s, well past the grace.
    const starts = queueStarts(h, users(2, 970_000), 10);
    h.fake.setChaos({ rate: 1, kinds: ['latency'], methods: ['sendMessage'], latencyMs: 1500, seed: 11 });
    const graceMs = 4_000;
    const first = await startBot(h, { PAYWALL_SHUTDOWN_GRACE: `${graceMs / 1000}s` });

    // From SIGTERM: the grace, plus slack for a loaded machine (the updates in hand need at most 2.5 s).
    const exit = await terminateMidBatch(h, first, 30_000);
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, first.stderr().slice(-2000));
    assert.ok(exit.ms < graceMs + 3_000, `exited ${exit.ms} ms after SIGTERM; PAYWALL_SHUTDOWN_GRACE is ${graceMs} ms`);

    await stop(await checkHandOver(h, starts));
    t.diagnostic(`exit ${exit.ms} ms after SIGTERM with a ${graceMs} ms grace`);
  });
});
