/**
 * createDb: one knex instance over SQLite (sqlite3) or PostgreSQL (pg), with
 * the same conventions on both (see values.ts), checked before it is returned.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import knex, { type Knex } from 'knex';
import { EXIT, ExitError } from '../cli/errors.js';
import type { DatabaseConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { errorCode, postgresConnectError, sqliteFileError, sqliteOpenError } from './db-errors.js';
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

/**
 * How long start-up waits for another process's write on the SQLite file to
 * end: long enough for a first start migrating beside us, short enough that a
 * writer stuck in a transaction (an open sqlite3 shell) is an error, not a hang.
 */
export const SQLITE_START_BUSY_MS = 10_000;

/** The WAL sidecar files SQLite must write beside the database. */
const SIDECARS = ['-wal', '-shm'] as const;

/** A UsageError naming a sidecar file left read-only (by another user, or immutable), if one is. */
function readOnlySidecar(filename: string): Error | undefined {
  for (const suffix of SIDECARS) {
    const path = `${filename}${suffix}`;
    if (!existsSync(path)) continue;
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      return sqliteFileError(filename, `its ${suffix.slice(1).toUpperCase()} file ${path} is read-only`);
    }
  }
  return undefined;
}

function lockedError(filename: string): ExitError {
  return new ExitError(
    EXIT.FAILURE,
    `The SQLite database ${filename} is locked by another process: a write there has not finished for ${SQLITE_START_BUSY_MS / 1000} s.`,
    `Stop whatever holds it open in a transaction (an sqlite3 shell, a stuck process; \`fuser ${filename}\` names it), then start paywall again.`,
  );
}

async function verifySqlite(instance: Knex, filename: string): Promise<void> {
  // Opening can meet another process migrating a new file: wait for it, within a bound.
  const deadline = Date.now() + SQLITE_START_BUSY_MS;
  for (;;) {
    try {
      await instance.raw('select 1');
      // The migration lock is a write: prove the file is writable now rather than hang on it later.
      await instance.raw('PRAGMA user_version = 0');
      return;
    } catch (err) {
      const code = errorCode(err);
      const mapped = (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' ? readOnlySidecar(filename) : undefined) ?? sqliteOpenError(filename, err);
      if (mapped) throw mapped;
      if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw err;
      if (Date.now() >= deadline) throw lockedError(filename);
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
