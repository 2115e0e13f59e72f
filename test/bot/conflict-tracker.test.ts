/** 409 episodes with a fake clock: one diagnostic per episode, backoff, when an episode ends, the give-up time. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conflictBackoffMs, createConflictTracker, FIRST_BACKOFF_MS, MAX_BACKOFF_MS, type ConflictDecision } from '../../src/bot/conflict-tracker.js';
import { capturingLogger } from '../helpers/databases.js';

const LONG_POLL_MS = 30_000;

function setup(options: { giveUpMs?: number; random?: () => number } = {}) {
  let clock = 1_000_000;
  const { logger, lines } = capturingLogger('info');
  let started = 0;
  let ended = 0;
  const tracker = createConflictTracker({
    logger,
    giveUpMs: options.giveUpMs ?? 120_000,
    longPollMs: LONG_POLL_MS,
    now: () => clock,
    random: options.random ?? (() => 0.5),
    onEpisodeStart: () => { started += 1; },
    onEpisodeEnd: () => { ended += 1; },
  });
  const logs = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string });
  return {
    tracker,
    advance: (ms: number) => { clock += ms; },
    diagnostics: () => logs().filter((l) => l.level === 40 && /409 Conflict|webhook is set/.test(l.msg)),
    logs,
    started: () => started,
    ended: () => ended,
  };
}

const delayOf = (decision: ConflictDecision): number => {
  assert.equal(decision.giveUp, false, 'expected a retry, not a give-up');
  return (decision as { delayMs: number }).delayMs;
};

describe('conflict tracker', () => {
  test('the first 409 logs one diagnostic naming the cause and the fix; more 409s in the episode log none', () => {
    const s = setup();
    for (let i = 0; i < 5; i += 1) {
      delayOf(s.tracker.onConflict(false));
      s.advance(5_000);
    }
    assert.equal(s.diagnostics().length, 1);
    const [line] = s.diagnostics();
    assert.match(line!.msg, /old deployment still running/);
    assert.match(line!.msg, /Fix: stop the other instance/);
    assert.equal(s.tracker.episodes(), 1);
    assert.equal(s.started(), 1);
  });

  test('a webhook 409 names the webhook and --delete-webhook', () => {
    const s = setup();
    s.tracker.onConflict(true);
    assert.match(s.diagnostics()[0]!.msg, /webhook is set.*--delete-webhook/);
  });

  test('backoff: 5 s doubling to 60 s, jitter of ±20 %, never above 60 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9, 40].map((n) => conflictBackoffMs(n, () => 0.5)), [5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 60_000]);
    assert.equal(conflictBackoffMs(0, () => 0), 4_000);
    assert.equal(conflictBackoffMs(0, () => 0.999_999), 6_000);
    assert.equal(conflictBackoffMs(4, () => 0.999_999), MAX_BACKOFF_MS, '60 s + 20 % is cut at 60 s');
    assert.equal(conflictBackoffMs(6, () => 0), 48_000, 'jitter still spreads retries at the cap');
    const s = setup({ giveUpMs: 3_600_000 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const delay = delayOf(s.tracker.onConflict(false));
      delays.push(delay);
      s.advance(delay);
    }
    assert.deepEqual(delays, [FIRST_BACKOFF_MS, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  test('a poll that succeeds soon after a 409 does not end the episode: an alternating poller is one episode', () => {
    const s = setup({ giveUpMs: 3_600_000 });
    const delays: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const delay = delayOf(s.tracker.onConflict(false));
      delays.push(delay);
      s.advance(delay);
      // Our poll wins for a while (it gets updates), then the other poller takes over again.
      s.tracker.onPollStarted();
      s.advance(1_000);
      s.tracker.onSuccess();
      s.tracker.onPollStarted();
      s.advance(2_000);
      s.tracker.onSuccess();
      s.tracker.onPollStarted();
    }
    assert.equal(s.tracker.episodes(), 1);
    assert.equal(s.diagnostics().length, 1);
    assert.equal(s.ended(), 0);
    assert.notEqual(s.tracker.current(), undefined);
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000], 'the backoff keeps growing through the episode');
    assert.equal(s.logs().filter((l) => /conflict is over/.test(l.msg)).length, 0);
  });

  test('the episode ends at a successful poll once we have polled a full long poll without a 409; the next 409 starts a new one', () => {
    const s = setup();
    s.tracker.onConflict(false);
    s.advance(5_000);
    s.tracker.onPollStarted();
    s.tracker.onConflict(false);
    s.advance(10_000);
    s.tracker.onPollStarted();
    assert.equal(s.tracker.current()!.pollingSince, s.tracker.current()!.lastConflictAt + 10_000);
    s.advance(LONG_POLL_MS - 1);
    s.tracker.onSuccess();
    assert.notEqual(s.tracker.current(), undefined, 'one millisecond short of a full long poll');
    s.advance(1);
    s.tracker.onSuccess();
    assert.equal(s.tracker.current(), undefined);
    assert.equal(s.ended(), 1);
    assert.equal(s.logs().filter((l) => /conflict is over/.test(l.msg)).length, 1);

    s.advance(1_000);
    assert.equal(delayOf(s.tracker.onConflict(false)), FIRST_BACKOFF_MS, 'a new episode starts the backoff again');
    assert.equal(s.tracker.episodes(), 2);
    assert.equal(s.started(), 2);
    assert.equal(s.diagnostics().length, 2, 'one diagnostic per episode');
  });

  test('the backoff wait is not conflict-free time: a quick success after a long wait keeps the episode', () => {
    const s = setup({ giveUpMs: 3_600_000 });
    s.tracker.onConflict(false);
    // Backing off for longer than a long poll: the other consumer may have polled all along.
    s.advance(2 * LONG_POLL_MS);
    s.tracker.onPollStarted();
    s.advance(100);
    s.tracker.onSuccess();
    assert.notEqual(s.tracker.current(), undefined);
    s.tracker.onPollStarted();
    s.advance(LONG_POLL_MS);
    s.tracker.onSuccess();
    assert.equal(s.tracker.current(), undefined, 'a full long poll since polling resumed');
  });

  test('without a successful poll, time alone does not end an episode', () => {
    const s = setup({ giveUpMs: 3_600_000 });
    s.tracker.onConflict(false);
    s.advance(10 * LONG_POLL_MS);
    assert.notEqual(s.tracker.current(), undefined);
    s.tracker.onConflict(false);
    assert.equal(s.tracker.episodes(), 1);
  });

  test('gives up at the first 409 past the give-up time, counted from the episode start even across successful polls', () => {
    const s = setup({ giveUpMs: 8_000 });
    const first = delayOf(s.tracker.onConflict(false));
    assert.equal(first, 5_000);
    s.advance(first);
    s.tracker.onPollStarted();
    s.tracker.onSuccess();
    s.advance(500);
    const second = delayOf(s.tracker.onConflict(false));
    assert.equal(second, 8_000 - 5_500 + 1, 'the last wait ends just past the give-up time, not a whole backoff later');
    s.advance(second);
    const decision = s.tracker.onConflict(false);
    assert.equal(decision.giveUp, true);
    assert.match((decision as { reason: string }).reason, /PAYWALL_CONFLICT_GIVEUP/);
    assert.equal(s.diagnostics().length, 1);
  });

  test('a new episode restarts the give-up clock', () => {
    const s = setup({ giveUpMs: 8_000 });
    s.tracker.onConflict(false);
    s.advance(7_000);
    s.tracker.onConflict(false);
    s.advance(2_000);
    s.tracker.onPollStarted();
    s.advance(LONG_POLL_MS);
    s.tracker.onSuccess();
    assert.equal(s.tracker.current(), undefined);
    assert.equal(s.tracker.onConflict(false).giveUp, false);
  });
});
