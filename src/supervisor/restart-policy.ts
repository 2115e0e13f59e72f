/**
 * The restart policy (SPEC 4): backoff 0.5 s doubling to 30 s, reset after
 * 60 s of stable running; after 5 crashes within 60 s the child is given up.
 */
import type { RestartPolicy } from './types.js';

/** The SPEC values. */
export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  stableAfterMs: 60_000,
  crashWindowMs: 60_000,
  maxCrashesInWindow: 5,
});

/** What to do after a crash: restart after a delay, or stop restarting. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; crashesInWindow: number }
  | { action: 'give-up'; crashesInWindow: number };

/** Remembers one child's crashes and decides about the next restart. */
export interface CrashTracker {
  /** Record a crash at `atMs` after a run of `ranForMs`, and decide. */
  recordCrash(ranForMs: number, atMs: number): RestartDecision;
}

/** The SPEC policy with `overrides` applied, each value checked. */
export function resolveRestartPolicy(overrides: Partial<RestartPolicy> = {}): RestartPolicy {
  const policy = { ...DEFAULT_RESTART_POLICY, ...overrides };
  for (const [key, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`Expected policy.${key} to be a non-negative number, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(policy.maxCrashesInWindow) || policy.maxCrashesInWindow < 1) {
    const got = policy.maxCrashesInWindow;
    throw new TypeError(`Expected policy.maxCrashesInWindow to be a positive integer, got ${got}`);
  }
  return policy;
}

/** A fresh tracker for one child. */
export function createCrashTracker(policy: RestartPolicy): CrashTracker {
  let nextDelayMs = policy.initialBackoffMs;
  const crashTimes: number[] = [];
  return {
    recordCrash(ranForMs, atMs) {
      if (ranForMs >= policy.stableAfterMs) nextDelayMs = policy.initialBackoffMs;
      crashTimes.push(atMs);
      while (crashTimes.length > 0 && crashTimes[0] <= atMs - policy.crashWindowMs) crashTimes.shift();
      const crashesInWindow = crashTimes.length;
      if (crashesInWindow >= policy.maxCrashesInWindow) return { action: 'give-up', crashesInWindow };
      const delayMs = nextDelayMs;
      nextDelayMs = Math.min(nextDelayMs * 2, policy.maxBackoffMs);
      return { action: 'restart', delayMs, crashesInWindow };
    },
  };
}
