/**
 * The dashboard's database: opened (connect, migrate, check the bot id) in the
 * background while it is unreachable, so the dashboard can serve 503 meanwhile.
 */
import type { Config } from '../config/config.js';
import { DatabaseUnavailableError, openDb, pingDb, type Db } from '../db/index.js';
import type { Logger } from '../log/logger.js';

/** A database the dashboard keeps trying to reach in the background. */
export interface DatabaseConnector {
  current(): Db | undefined;
  /** True when the database answers within timeoutMs. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens the database once; when it is unreachable, keeps retrying in the
 * background instead of failing (the dashboard serves 503 from /healthz meanwhile).
 * Configuration errors (exit 2) still throw at once.
 */
export async function connectInBackground(config: Config, logger: Logger, retryMs = 2_000): Promise<DatabaseConnector> {
  let db: Db | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const tryOpen = async (first: boolean): Promise<void> => {
    try {
      db = await openDb(config, logger);
      if (!first) logger.info('The database is reachable again');
    } catch (err) {
      if (!(err instanceof DatabaseUnavailableError)) throw err;
      if (first) logger.warn(`${err.message} Retrying every ${retryMs / 1000} s; /healthz answers 503 meanwhile.`);
      if (!closed) timer = setTimeout(() => void tryOpen(false).catch((e: unknown) => logger.error(`Opening the database failed: ${(e as Error).message}`)), retryMs);
    }
  };
  await tryOpen(true);
  return {
    current: () => db,
    ping: async (timeoutMs) => (db ? pingDb(db, timeoutMs) : false),
    async close() {
      closed = true;
      clearTimeout(timer);
      await db?.close();
    },
  };
}
