/**
 * Notices a runtime that is alive but not receiving updates (SPEC 5: admins
 * are notified): no successful poll for a while, or a 409 conflict episode
 * that has lasted too long. It reports each stall once, and its end once;
 * a new stall is reported again only after a recovery.
 */
import type { Logger } from 'pino';

/** What the watch reads from the poller (epoch milliseconds). */
export interface RuntimeHealth {
  /** The last successful poll; null before the first. */
  readonly lastPollAt: number | null;
  /** The first 409 of the conflict episode in progress; null outside an episode. */
  readonly conflictSince: number | null;
}

/** `no-updates`: no successful poll for too long. `conflict`: a 409 episode lasting too long. */
export type StallReason = 'no-updates' | 'conflict';

/** One stall, as reported to onStall. */
export interface Stall {
  readonly reason: StallReason;
  /** When updates last arrived; null: never since the watch started. */
  readonly lastPollAt: number | null;
  /** When the stall began: the last poll (or the watch's start) for `no-updates`, the first 409 for `conflict`. */
  readonly since: number;
  readonly detectedAt: number;
}

/** The end of a stall, as reported to onRecovered. */
export interface Recovery {
  readonly stall: Stall;
  readonly recoveredAt: number;
}

/** Options for startStallWatch. */
export interface StallWatchOptions {
  health: () => RuntimeHealth;
  /** Called once per stall; a rejection is logged and the call is tried again at the next check. */
  onStall: (stall: Stall) => void | Promise<void>;
  /** Called once when a reported stall ends. */
  onRecovered?: (recovery: Recovery) => void | Promise<void>;
  logger: Logger;
  /** No successful poll for this long is a stall (default 2 minutes: four 30 s long polls). */
  noUpdatesMs?: number;
  /** A 409 episode this long is a stall (default 1 minute, before the 2 minute PAYWALL_CONFLICT_GIVEUP). */
  conflictMs?: number;
  /** How often the timer checks (default 5 s); 0: no timer, the caller calls check(). */
  checkEveryMs?: number;
  now?: () => number;
}

/** A running watch. */
export interface StallWatch {
  /** Looks at the health now, calling onStall or onRecovered when that changed; resolves with the stall in progress. */
  check(): Promise<Stall | undefined>;
  /** The stall in progress, reported or not. */
  current(): Stall | undefined;
  /** Stops the timer and waits for a callback in flight. */
  stop(): Promise<void>;
}

/** Two minutes without a successful poll. */
export const DEFAULT_NO_UPDATES_MS = 120_000;
/** One minute of an unbroken 409 episode. */
export const DEFAULT_CONFLICT_MS = 60_000;

/** The stall `health` shows at `now`, if any; a conflict is named first, being the likelier cause. */
export function detectStall(health: RuntimeHealth, now: number, watchStartedAt: number, limits: { noUpdatesMs: number; conflictMs: number }): Stall | undefined {
  if (health.conflictSince !== null && now - health.conflictSince >= limits.conflictMs) {
    return { reason: 'conflict', lastPollAt: health.lastPollAt, since: health.conflictSince, detectedAt: now };
  }
  const quietSince = health.lastPollAt ?? watchStartedAt;
  if (now - quietSince >= limits.noUpdatesMs) {
    return { reason: 'no-updates', lastPollAt: health.lastPollAt, since: quietSince, detectedAt: now };
  }
  return undefined;
}

/** Starts watching at once. */
export function startStallWatch(options: StallWatchOptions): StallWatch {
  const now = options.now ?? Date.now;
  const limits = { noUpdatesMs: options.noUpdatesMs ?? DEFAULT_NO_UPDATES_MS, conflictMs: options.conflictMs ?? DEFAULT_CONFLICT_MS };
  const startedAt = now();
  let stall: Stall | undefined;
  let reported = false;
  let inFlight: Promise<Stall | undefined> | undefined;

  async function evaluate(): Promise<Stall | undefined> {
    const seen = detectStall(options.health(), now(), startedAt, limits);
    if (seen && !stall) {
      stall = seen;
      options.logger.error({ reason: stall.reason, since: new Date(stall.since).toISOString() }, stall.reason === 'conflict'
        ? 'The runtime has been in a 409 conflict for too long and receives few or no updates: notifying the admins.'
        : 'The runtime has received no updates for too long (no successful poll): notifying the admins. Check the network and `paywall doctor`.');
    }
    if (seen && stall && !reported) {
      try {
        await options.onStall(stall);
        reported = true;
      } catch (err) {
        options.logger.warn(`Could not notify the admins of the stalled runtime (trying again shortly): ${(err as Error).message}`);
      }
    }
    if (!seen && stall) {
      const ended = stall;
      const wasReported = reported;
      stall = undefined;
      reported = false;
      options.logger.info({ stalledSeconds: Math.round((now() - ended.since) / 1000) }, 'The runtime receives updates again');
      if (wasReported) {
        try {
          await options.onRecovered?.({ stall: ended, recoveredAt: now() });
        } catch (err) {
          options.logger.warn(`Could not tell the admins that the runtime recovered: ${(err as Error).message}`);
        }
      }
    }
    return stall;
  }

  const check = (): Promise<Stall | undefined> => {
    // One evaluation at a time: a slow callback must not be called twice for one stall.
    inFlight ??= evaluate().finally(() => { inFlight = undefined; });
    return inFlight;
  };
  const every = options.checkEveryMs ?? 5_000;
  const timer = every > 0 ? setInterval(() => { void check(); }, every) : undefined;
  timer?.unref();
  return {
    check,
    current: () => stall,
    async stop() {
      if (timer) clearInterval(timer);
      await inFlight;
    },
  };
}
