/** The database lease's clocks: how often it checks, retries and logs, and how long it waits. */

/** Every interval and timeout of the lease, in milliseconds. */
export interface LeaseTiming {
  /** Connecting, TLS and authentication included. */
  readonly connectTimeoutMs: number;
  /** Any one query; past it the connection is taken for dead and destroyed. */
  readonly queryTimeoutMs: number;
  /** How often a held lease proves its session is alive and still holds the lock. */
  readonly checkEveryMs: number;
  /** How often a waiting instance tries the lock again. */
  readonly waitRetryMs: number;
  /** How often a waiting instance names the holder again (it names it at once the first time). */
  readonly holderLogEveryMs: number;
  /** First and longest pause between reconnection attempts (doubling, with jitter). */
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** The most release() takes, even with the server gone. */
  readonly releaseTimeoutMs: number;
}

/**
 * The defaults: a session that dies silently is noticed within
 * checkEveryMs + queryTimeoutMs (4 s); one that ends (terminated, reset) at once.
 */
export const DEFAULT_LEASE_TIMING: LeaseTiming = Object.freeze({
  connectTimeoutMs: 5_000,
  queryTimeoutMs: 2_000,
  checkEveryMs: 2_000,
  waitRetryMs: 500,
  holderLogEveryMs: 30_000,
  reconnectMinMs: 500,
  reconnectMaxMs: 10_000,
  releaseTimeoutMs: 2_000,
});

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The pause before reconnection attempt `failures` (0-based): doubling from min to max, ±20% jitter. */
export function reconnectDelay(timing: LeaseTiming, failures: number): number {
  const base = Math.min(timing.reconnectMaxMs, timing.reconnectMinMs * 2 ** Math.min(failures, 20));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** A gate that opens at once, then at most once every `everyMs`. */
export function createThrottle(everyMs: number): () => boolean {
  let last = -Infinity;
  return () => {
    const now = Date.now();
    if (now - last < everyMs) return false;
    last = now;
    return true;
  };
}
