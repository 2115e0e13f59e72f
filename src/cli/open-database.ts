/**
 * The dashboard's database: opened (connect, migrate, check the bot id) in the
 * background while it is unreachable, so the dashboard can serve 503 meanwhile,
 * and watched once open: a connection that cannot be made, a query cut off or
 * a failed health probe hides the database until a probe gets through again,
 * so that every request in between answers 503 at once instead of failing on
 * a dead server.
 */
import type { Config } from '../config/config.js';
import { DatabaseUnavailableError, openDb, pingDb, type Db } from '../db/index.js';
import { isConnectionLost } from '../db/ping-db.js';
import type { Logger } from '../log/logger.js';

/** A database the dashboard keeps trying to reach in the background. */
export interface DatabaseConnector {
  /** The open database; undefined until it is first opened, and while it is unreachable. */
  current(): Db | undefined;
  /** True when the database answers within timeoutMs; the answer also marks it reachable or not. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a recovery probe waits for an answer (the health probe's bound, SPEC 6). */
const PROBE_MS = 2_000;

type PoolEvents = { on(event: 'createFail', listener: (eventId: unknown, err: unknown) => void): void };

function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Opens the database once; when it is unreachable, keeps retrying in the
 * background instead of failing (the dashboard serves 503 from /healthz meanwhile).
 * Configuration errors (exit 2) still throw at once.
 */
export async function connectInBackground(config: Config, logger: Logger, retryMs = 2_000): Promise<DatabaseConnector> {
  let db: Db | undefined;
  let reachable = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const later = (step: () => Promise<void>) => {
    clearTimeout(timer);
    if (!closed) timer = setTimeout(() => void step().catch((e: unknown) => logger.error(`Reaching the database failed: ${reason(e)}`)), retryMs);
  };

  const recover = async (): Promise<void> => {
    if (db && (await pingDb(db, PROBE_MS))) markBack();
    else if (!reachable) later(recover);
  };
  function markLost(why: string): void {
    if (!reachable || closed) return;
    reachable = false;
    logger.warn(`The database became unreachable (${why}); requests answer 503 until it is back, checked every ${retryMs / 1000} s.`);
    later(recover);
  }
  function markBack(): void {
    if (reachable || closed) return;
    reachable = true;
    clearTimeout(timer);
    logger.info('The database is reachable again');
  }
  // Both events fire before the failing call rejects, so that call's own error handling already sees the outage.
  const watch = (opened: Db) => {
    opened.knex.on('query-error', (err: unknown) => {
      if (isConnectionLost(err)) markLost(reason(err));
    });
    (opened.knex.client as { pool?: PoolEvents }).pool?.on('createFail', (_id, err) => markLost(reason(err)));
  };

  const tryOpen = async (first: boolean): Promise<void> => {
    try {
      const opened = await openDb(config, logger);
      if (closed) return void (await opened.close());
      db = opened;
      watch(opened);
      reachable = true;
      if (!first) logger.info('The database is reachable again');
    } catch (err) {
      if (!(err instanceof DatabaseUnavailableError) && (first || !isConnectionLost(err))) throw err;
      if (first) logger.warn(`${err instanceof Error ? err.message : String(err)} Retrying every ${retryMs / 1000} s; /healthz answers 503 meanwhile.`);
      later(() => tryOpen(false));
    }
  };
  await tryOpen(true);
  return {
    current: () => (reachable ? db : undefined),
    async ping(timeoutMs) {
      if (!db) return false;
      const ok = await pingDb(db, timeoutMs);
      if (ok) markBack();
      else markLost(`no answer to a health probe within ${timeoutMs} ms`);
      return ok;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await db?.close();
    },
  };
}
