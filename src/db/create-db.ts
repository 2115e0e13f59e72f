/**
 * createDb: one knex instance over SQLite (sqlite3) or PostgreSQL (pg), with
 * the same conventions on both (see values.ts), checked before it is returned.
 */
import { createRequire } from 'node:module';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { errorCode, postgresConnectError, sqliteOpenError } from './db-errors.js';
import { prepareSqliteFile } from './sqlite-file.js';

/** An open database: the knex instance, its kind, and how to close it. */
export interface Db {
  readonly knex: Knex;
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, safe for logs and messages: the SQLite file or the redacted URL. */
  readonly location: string;
  /** Closes every pooled connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of createDb. */
export interface CreateDbOptions {
  /**
   * Connect once before returning, turning a bad path or an unreachable server
   * into a clear error (default true). The dashboard passes false to start
   * without a database and probe it with pingDb.
   */
  verify?: boolean;
}

const SQLITE_PRAGMAS = [
  // First, so that every later statement waits for a busy database instead of failing.
  'PRAGMA busy_timeout = 5000',
  'PRAGMA journal_mode = WAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA synchronous = NORMAL',
].join('; ');

const PG_INT8_OID = 20;

type TypeParser = (value: string) => unknown;

/** BIGINT as a JS number (ids, epoch milliseconds and counts fit); the text when it would lose precision. */
function pgTypes(): { getTypeParser(oid: number, format?: string): TypeParser } {
  const pg = createRequire(import.meta.url)('pg') as { types: { getTypeParser(oid: number, format?: string): TypeParser } };
  const parseInt8: TypeParser = (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  };
  return {
    getTypeParser: (oid, format) => (oid === PG_INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)),
  };
}

function knexLog(logger: Logger): Knex.Logger {
  return {
    // knex warns on every refused migration lock and failed connection; migrateLatest and createDb report those themselves.
    warn: (message: string) => (/lock|migrat|acquire connection/i.test(String(message)) ? logger.debug({ knex: message }, 'knex warning') : logger.warn({ knex: message }, 'knex warning')),
    error: (message: string) => logger.error({ knex: message }, 'knex error'),
    deprecate: (method: string, alternative: string) => logger.debug({ method, alternative }, 'knex deprecation'),
    debug: (message: unknown) => logger.trace({ knex: message }, 'knex debug'),
  };
}

function sqliteConfig(filename: string, logger: Logger): Knex.Config {
  return {
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.exec(SQLITE_PRAGMAS, (err) => done(err, conn));
      },
    },
    log: knexLog(logger),
  };
}

function postgresConfig(url: string, logger: Logger): Knex.Config {
  return {
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: 'paywall',
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      types: pgTypes(),
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: 10_000,
    log: knexLog(logger),
  };
}

async function verifySqlite(instance: Knex, filename: string): Promise<void> {
  // Opening can meet another process switching a new file to WAL: retry a busy database briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      await instance.raw('select 1');
      // The migration lock is a write: prove the file is writable now rather than hang on it later.
      await instance.raw('PRAGMA user_version = 0');
      return;
    } catch (err) {
      const mapped = sqliteOpenError(filename, err);
      if (mapped) throw mapped;
      if (errorCode(err) !== 'SQLITE_BUSY' || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Opens the configured database; throws UsageError (bad path, bad credentials) or DatabaseUnavailableError. */
export async function createDb(database: DatabaseConfig, logger: Logger, options: CreateDbOptions = {}): Promise<Db> {
  const verify = options.verify ?? true;
  if (database.kind === 'sqlite') prepareSqliteFile(database.filename);
  const location = database.kind === 'sqlite' ? database.filename : redactUrl(database.url);
  const instance = knex(database.kind === 'sqlite' ? sqliteConfig(database.filename, logger) : postgresConfig(database.url, logger));
  let closed: Promise<void> | undefined;
  const db: Db = {
    knex: instance,
    kind: database.kind,
    location,
    close: () => (closed ??= instance.destroy()),
  };
  if (!verify) return db;
  try {
    if (database.kind === 'sqlite') await verifySqlite(instance, database.filename);
    else await instance.raw('select 1');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw database.kind === 'postgres' ? postgresConnectError(database.url, err) : err;
  }
  logger.debug({ database: location, kind: database.kind }, 'database opened');
  return db;
}
