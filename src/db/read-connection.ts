/**
 * A connection for long or latency-sensitive reads beside the writer. SQLite
 * has one pooled connection, so a read queues behind every write on it; a
 * second connection reads beside the writer (WAL), opened at the first use
 * and reopened after a failed open. PostgreSQL's pool already runs queries
 * side by side: there the database itself is returned.
 */
import type { DatabaseConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { createDb, type Db } from './create-db.js';

/** The reading connection of one database; closed by whoever created it. */
export interface ReadConnection {
  get(): Promise<Db>;
  close(): Promise<void>;
}

/** Builds it over `db` (opened from `config`). */
export function createReadConnection(config: DatabaseConfig, db: Db, logger: Logger): ReadConnection {
  let reader: Promise<Db> | undefined;
  let closed = false;
  return {
    get() {
      if (db.kind !== 'sqlite' || closed) return Promise.resolve(db);
      reader ??= createDb(config, logger, { verify: false }).catch((err: unknown) => {
        reader = undefined;
        throw err;
      });
      return reader;
    },
    async close() {
      closed = true;
      const open = reader;
      reader = undefined;
      if (open) await (await open.catch(() => undefined))?.close();
    },
  };
}
