import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCrashTracker, DEFAULT_RESTART_POLICY, resolveRestartPolicy } from '../../src/supervisor/restart-policy.js';

test('the defaults are the SPEC values', () => {
  assert.deepEqual(resolveRestartPolicy(), {
    initialBackoffMs: 500,
    maxBackoffMs: 30_000,
    stableAfterMs: 60_000,
    crashWindowMs: 60_000,
    maxCrashesInWindow: 5,
  });
  assert.equal(Object.isFrozen(DEFAULT_RESTART_POLICY), true);
});

test('backoff doubles from 0.5 s up to 30 s while crashes are spread out', () => {
  const tracker = createCrashTracker(resolveRestartPolicy());
  const delays: number[] = [];
  for (let i = 0; i < 9; i++) {
    const decision = tracker.recordCrash(1000, i * 61_000);
    assert.equal(decision.action, 'restart');
    if (decision.action === 'restart') delays.push(decision.delayMs);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test('a run of 60 s resets the backoff', () => {
  const tracker = createCrashTracker(resolveRestartPolicy());
  tracker.recordCrash(10, 0);
  tracker.recordCrash(10, 1000);
  assert.deepEqual(tracker.recordCrash(60_000, 200_000), { action: 'restart', delayMs: 500, crashesInWindow: 1 });
});

test('the fifth crash within 60 s gives the child up; older crashes drop out of the window', () => {
  const tracker = createCrashTracker(resolveRestartPolicy());
  for (const at of [0, 1000, 2000, 3000]) assert.equal(tracker.recordCrash(10, at).action, 'restart');
  assert.deepEqual(tracker.recordCrash(10, 59_999), { action: 'give-up', crashesInWindow: 5 });
  const spread = createCrashTracker(resolveRestartPolicy());
  for (const at of [0, 1000, 2000, 3000]) spread.recordCrash(10, at);
  assert.equal(spread.recordCrash(10, 60_000).action, 'restart', 'the crash at 0 is 60 s old');
});

test('rejects a policy value that is not a non-negative number', () => {
  const negative = /Expected policy\.maxBackoffMs to be a non-negative number, got -1/;
  assert.throws(() => resolveRestartPolicy({ maxBackoffMs: -1 }), negative);
  assert.throws(() => resolveRestartPolicy({ maxCrashesInWindow: 0 }), /positive integer, got 0/);
});
