/** The stall watch with a fake clock: once per stall, once per recovery, conflicts, failed notifications. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startStallWatch, type Recovery, type RuntimeHealth, type Stall, type StallWatchOptions } from '../../src/bot/stall-watch.js';
import { capturingLogger } from '../helpers/databases.js';
import { waitUntil } from '../helpers/processes.js';

const MINUTE = 60_000;

function setup(overrides: Partial<StallWatchOptions> = {}) {
  let clock = 5_000_000;
  const health: { lastPollAt: number | null; conflictSince: number | null } = { lastPollAt: null, conflictSince: null };
  const stalls: Stall[] = [];
  const recoveries: Recovery[] = [];
  const { logger, lines } = capturingLogger('info');
  const watch = startStallWatch({
    health: (): RuntimeHealth => ({ ...health }),
    onStall: (stall) => { stalls.push(stall); },
    onRecovered: (recovery) => { recoveries.push(recovery); },
    logger,
    checkEveryMs: 0,
    now: () => clock,
    ...overrides,
  });
  return {
    watch, health, stalls, recoveries, lines,
    now: () => clock,
    advance: (ms: number) => { clock += ms; },
    poll: () => { health.lastPollAt = clock; },
  };
}

describe('stall watch', () => {
  test('no successful poll for 2 minutes: notified once; a poll: recovered once; a later stall is notified again', async () => {
    const s = setup();
    s.poll();
    const lastPoll = s.now();
    s.advance(2 * MINUTE - 1);
    assert.equal(await s.watch.check(), undefined);
    s.advance(1);
    const stall = await s.watch.check();
    assert.deepEqual(stall, { reason: 'no-updates', lastPollAt: lastPoll, since: lastPoll, detectedAt: s.now() });
    for (let i = 0; i < 5; i += 1) {
      s.advance(5_000);
      await s.watch.check();
    }
    assert.equal(s.stalls.length, 1, 'once per stall, not once per check');
    assert.equal(s.recoveries.length, 0);

    s.poll();
    assert.equal(await s.watch.check(), undefined);
    await s.watch.check();
    assert.equal(s.recoveries.length, 1);
    assert.equal(s.recoveries[0]!.stall, s.stalls[0]);
    assert.equal(s.recoveries[0]!.recoveredAt, s.now());

    s.advance(2 * MINUTE);
    await s.watch.check();
    assert.equal(s.stalls.length, 2, 'a new stall after a recovery is news again');
    assert.match(s.lines.join(''), /received no updates for too long/);
  });

  test('a runtime that never polled is stalled 2 minutes after the watch started', async () => {
    const s = setup();
    const startedAt = s.now();
    s.advance(2 * MINUTE);
    const stall = await s.watch.check();
    assert.equal(stall?.reason, 'no-updates');
    assert.equal(stall?.lastPollAt, null);
    assert.equal(stall?.since, startedAt);
  });

  test('a 409 episode over a minute is a stall even while some polls succeed; its end is the recovery', async () => {
    const s = setup();
    s.poll();
    s.health.conflictSince = s.now();
    for (let t = 0; t < 59; t += 1) {
      s.advance(1_000);
      s.poll();
      await s.watch.check();
    }
    assert.equal(s.stalls.length, 0, 'not before a minute');
    s.advance(1_000);
    s.poll();
    await s.watch.check();
    assert.equal(s.stalls.length, 1);
    assert.equal(s.stalls[0]!.reason, 'conflict');
    assert.equal(s.stalls[0]!.since, s.health.conflictSince);

    s.advance(30_000);
    s.poll();
    await s.watch.check();
    assert.equal(s.recoveries.length, 0, 'still in the episode');
    s.health.conflictSince = null;
    await s.watch.check();
    assert.equal(s.recoveries.length, 1);
    assert.equal(s.stalls.length, 1);
  });

  test('a stall that changes cause is still one stall', async () => {
    const s = setup();
    s.poll();
    s.health.conflictSince = s.now();
    s.advance(MINUTE);
    await s.watch.check();
    s.advance(2 * MINUTE);
    assert.equal((await s.watch.check())?.reason, 'conflict', 'the stall keeps the cause it was reported with');
    s.health.conflictSince = null;
    await s.watch.check();
    assert.equal(s.stalls.length, 1);
    assert.equal(s.recoveries.length, 0, 'no poll for 3 minutes: still stalled');
  });

  test('thresholds are options', async () => {
    const s = setup({ noUpdatesMs: 10_000, conflictMs: 3_000 });
    s.poll();
    s.health.conflictSince = s.now();
    s.advance(3_000);
    assert.equal((await s.watch.check())?.reason, 'conflict');
    s.health.conflictSince = null;
    s.poll();
    await s.watch.check();
    s.advance(10_000);
    assert.equal((await s.watch.check())?.reason, 'no-updates');
  });

  test('a failed notification is tried again at the next check; a stall never reported has no recovery notice', async () => {
    let attempts = 0;
    let failing = true;
    const recoveries: Recovery[] = [];
    const s = setup({
      onStall: async () => { attempts += 1; if (failing) throw new Error('database is locked'); },
      onRecovered: (r) => { recoveries.push(r); },
    });
    s.advance(2 * MINUTE);
    await s.watch.check();
    await s.watch.check();
    assert.equal(attempts, 2);
    failing = false;
    await s.watch.check();
    await s.watch.check();
    assert.equal(attempts, 3, 'no more calls once one succeeded');
    assert.match(s.lines.join(''), /Could not notify the admins.*database is locked/);

    s.poll();
    await s.watch.check();
    assert.equal(recoveries.length, 1);

    failing = true;
    s.advance(2 * MINUTE);
    await s.watch.check();
    s.poll();
    await s.watch.check();
    assert.equal(recoveries.length, 1, 'the admins never heard of that stall, so they hear of no recovery');
  });

  test('checks do not overlap: a slow notification is made once', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const s = setup({ onStall: async () => { calls += 1; await gate; } });
    s.advance(2 * MINUTE);
    const first = s.watch.check();
    const second = s.watch.check();
    release();
    await Promise.all([first, second]);
    await s.watch.check();
    assert.equal(calls, 1);
  });

  test('its timer checks by itself until stopped', async () => {
    const s = setup({ checkEveryMs: 20 });
    s.advance(2 * MINUTE);
    // Deadline from now: a 20 ms timer has 5 s to fire.
    await waitUntil(() => s.stalls.length === 1, 5_000, 'the timer noticed the stall');
    await s.watch.stop();
    s.poll();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.recoveries.length, 0, 'no checks after stop()');
  });
});
