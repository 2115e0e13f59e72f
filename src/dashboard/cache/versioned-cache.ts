/**
 * A read that is expensive over a big database (the overview's counts and
 * sums), kept off the request path: the last result is served while the
 * data has not changed and it is younger than `maxStaleMs`; once it is older
 * than `revalidateAfterMs` a refresh runs in the background (one at a time).
 * A change of the data's version (a cheap probe: the newest row times on
 * indexed columns) makes the next request wait for a fresh result, so a write
 * is seen at once; what only the clock changes (a subscription expiring, a
 * new UTC day) is seen within `revalidateAfterMs` under traffic, and never
 * later than `maxStaleMs`. A slow read (seconds over millions of rows) is
 * refreshed in the background less often: at most every ten times it takes,
 * up to half of `maxStaleMs`, so that it never keeps a core busy.
 */

/** Options of versionedCache. */
export interface VersionedCacheOptions {
  /** A result this young is served without asking the version. */
  freshMs: number;
  /** A result of the same version older than this is refreshed in the background (and still served). */
  revalidateAfterMs: number;
  /** A result of the same version this young is served; an older one is waited for. */
  maxStaleMs: number;
  /** The data's version: equal strings mean the data the read depends on did not change. */
  version: () => Promise<string>;
  now?: () => number;
  /** Told about a background refresh that failed (the stale result stays). */
  onError?: (err: unknown) => void;
}

interface Entry<T> {
  value: T;
  version: string;
  at: number;
  /** How long the read took. */
  tookMs: number;
}

/** A background refresh waits at least this many times as long as the last read took. */
const REFRESH_SHARE = 10;

/** Wraps `load` (whose argument is the current time) with the cache. */
export function versionedCache<T>(load: (now: Date) => Promise<T>, options: VersionedCacheOptions): () => Promise<T> {
  const now = options.now ?? Date.now;
  let entry: Entry<T> | undefined;
  let refreshing: Promise<Entry<T>> | undefined;

  const refresh = (version: string): Promise<Entry<T>> => {
    refreshing ??= (async () => {
      const at = now();
      try {
        const value = await load(new Date(at));
        const fresh = { value, version, at, tookMs: now() - at };
        if (!entry || entry.at <= at) entry = fresh;
        return fresh;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  return async () => {
    const current = entry;
    if (current && now() - current.at < options.freshMs) return current.value;
    const version = await options.version();
    if (current && current.version === version && now() - current.at < options.maxStaleMs) {
      const revalidateAfter = Math.max(options.revalidateAfterMs, Math.min(options.maxStaleMs / 2, current.tookMs * REFRESH_SHARE));
      if (!refreshing && now() - current.at >= revalidateAfter) void refresh(version).catch((err: unknown) => options.onError?.(err));
      return current.value;
    }
    if (refreshing) {
      const pending = await refreshing;
      if (pending.version === version) return pending.value;
    }
    return (await refresh(version)).value;
  };
}
