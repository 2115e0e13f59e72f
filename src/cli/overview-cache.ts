/**
 * The dashboard's overview numbers (GET /api/stats, the overview page's
 * series and counts) over a big database, cached by versionedCache: served
 * from memory while the data is unchanged, recomputed in the background every
 * few seconds under traffic, and at once after a write. On SQLite the
 * recomputation runs on a connection of its own (WAL lets it read beside the
 * writer), so a scan of a million rows never queues the dashboard's other
 * queries behind it on the one pooled connection.
 */
import type { Config } from '../config/config.js';
import { versionedCache } from '../dashboard/cache/versioned-cache.js';
import type { OverviewExtras } from '../dashboard/pages/ports.js';
import { createReadConnection, type Db } from '../db/index.js';
import { readDataVersion } from '../db/read-models/data-version.js';
import { createReadModels, type Stats } from '../db/read-models/index.js';
import { createPageReads } from '../db/read-models/pages.js';
import type { Logger } from '../log/logger.js';

/** Cached overview reads over one database. */
export interface OverviewCache {
  stats(): Promise<Stats>;
  overview(days: number): Promise<OverviewExtras>;
  close(): Promise<void>;
}

/** Under traffic, numbers that only the clock changes are this old at most. */
const REVALIDATE_AFTER_MS = 5_000;
/** Without traffic, a result this old is recomputed before it is served. */
const MAX_STALE_MS = 60_000;

/** Builds the cache over `db` (the dashboard's database). */
export function createOverviewCache(config: Config, db: Db, logger: Logger): OverviewCache {
  // SQLite: a second connection for the scans; PostgreSQL: its pool already runs queries side by side.
  const reader = createReadConnection(config.database, db, logger);
  const readDb = () => reader.get();
  // Callers at the same moment (the page's two caches, a burst of requests) share one probe.
  let probing: Promise<string> | undefined;
  const version = (): Promise<string> => (probing ??= readDataVersion(db.knex).finally(() => { probing = undefined; }));
  const options = {
    freshMs: 0,
    revalidateAfterMs: REVALIDATE_AFTER_MS,
    maxStaleMs: MAX_STALE_MS,
    version,
    onError: (err: unknown) => logger.warn(`Refreshing the overview numbers failed: ${(err as Error).message}`),
  };
  const botId = config.botId === undefined ? {} : { botId: config.botId };
  const stats = versionedCache(async (now) => createReadModels((await readDb()).knex, botId).stats(now), options);
  const overviews = new Map<number, () => Promise<OverviewExtras>>();
  return {
    stats,
    overview(days) {
      let cached = overviews.get(days);
      if (!cached) {
        cached = versionedCache(async (now) => createPageReads((await readDb()).knex).overview(now, days), options);
        overviews.set(days, cached);
      }
      return cached();
    },
    close: () => reader.close(),
  };
}
