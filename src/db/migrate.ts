/**
 * migrateLatest: applies pending migrations under knex's migration lock. A
 * second process starting at the same moment waits and retries instead of
 * failing, so two first starts on one new database both succeed.
 */
import type { Knex } from 'knex';
import { UsageError } from '../cli/errors.js';
import type { Logger } from '../log/logger.js';
import type { Db } from './create-db.js';
import { DatabaseUnavailableError, errorCode, sqliteOpenError } from './db-errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

const MIGRATION_TABLE = 'knex_migrations';
const LOCK_TABLE = `${MIGRATION_TABLE}_lock`;
/** Two-int advisory lock key ('payw', 1) serialising the bootstrap on PostgreSQL. */
const PG_BOOTSTRAP_LOCK = [0x70617977, 1] as const;
const RETRYABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', '40P01', '40001', '42P07', '23505', '55P03']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', '57P01', '57P03']);

/** How long migrateLatest keeps retrying, and how often. */
export interface MigrateOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Wait between attempts (default 200 ms). */
  retryDelayMs?: number;
}

/** A knex migration source over the static MIGRATIONS list. */
export function createMigrationSource(migrations: readonly Migration[] = MIGRATIONS): Knex.MigrationSource<Migration> {
  return {
    getMigrations: async () => [...migrations],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => migration,
  };
}

/**
 * Creates knex's bookkeeping tables and their single lock row exactly once, even
 * when several processes start together (knex itself would race here and could
 * insert two lock rows, which would lock migrations forever).
 */
async function ensureMigrationTables(db: Db): Promise<void> {
  await db.knex.transaction(async (trx) => {
    if (db.kind === 'postgres') await trx.raw('select pg_advisory_xact_lock(?, ?)', [...PG_BOOTSTRAP_LOCK]);
    if (!(await trx.schema.hasTable(MIGRATION_TABLE))) {
      await trx.schema.createTable(MIGRATION_TABLE, (t) => {
        t.increments();
        t.string('name');
        t.integer('batch');
        t.timestamp('migration_time');
      });
    }
    if (!(await trx.schema.hasTable(LOCK_TABLE))) {
      await trx.schema.createTable(LOCK_TABLE, (t) => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
    }
    const rows = await trx(LOCK_TABLE).select('index');
    if (rows.length === 0) await trx(LOCK_TABLE).insert({ is_locked: 0 });
  });
}

function isLockError(err: unknown): boolean {
  return (err as Error | null)?.name === 'MigrationLocked' || /already locked/i.test(String((err as Error | null)?.message));
}

function isRetryable(err: unknown): boolean {
  const code = errorCode(err);
  return isLockError(err) || (code !== undefined && RETRYABLE_CODES.has(code)) || /SQLITE_BUSY|database is locked/.test(String((err as Error | null)?.message));
}

/** Turns a final failure into what the operator should read. */
function explain(db: Db, err: unknown): unknown {
  const message = String((err as Error | null)?.message);
  if (db.kind === 'sqlite') {
    const fileError = sqliteOpenError(db.location, err);
    if (fileError) return fileError;
  }
  const code = errorCode(err);
  if (db.kind === 'postgres' && ((code && UNREACHABLE_CODES.has(code)) || (err as Error | null)?.name === 'KnexTimeoutError')) {
    return new DatabaseUnavailableError(db.location, message);
  }
  const missing = /following files are missing: (.*)$/.exec(message);
  if (missing) {
    return new UsageError(`The database ${db.location} was migrated by a newer paywall (unknown migrations: ${missing[1]}).`, 'Run the newer version of paywall, or point DATABASE_URL at another database.');
  }
  return err;
}

function lockTimeout(db: Db, timeoutMs: number): UsageError {
  return new UsageError(
    `Another process has held the migration lock of ${db.location} for ${Math.round(timeoutMs / 1000)} s.`,
    'If no other paywall process is starting, a migration was interrupted: run `UPDATE knex_migrations_lock SET is_locked = 0;` on the database (or `paywall db migrate --unlock`), then start again.',
  );
}

/** Applies every pending migration; returns the names it applied (none when up to date). */
export async function migrateLatest(db: Db, logger: Logger, options: MigrateOptions = {}): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  const config: Knex.MigratorConfig = { migrationSource: createMigrationSource(), tableName: MIGRATION_TABLE };
  let waiting = false;
  for (;;) {
    try {
      await ensureMigrationTables(db);
      const [, applied] = (await db.knex.migrate.latest(config)) as [number, string[]];
      if (applied.length > 0) logger.info({ migrations: applied }, `Applied ${applied.length} database migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}`);
      else logger.debug('Database schema is up to date');
      return applied;
    } catch (err) {
      if (!isRetryable(err)) throw explain(db, err);
      if (Date.now() >= deadline) throw isLockError(err) ? lockTimeout(db, timeoutMs) : explain(db, err);
      if (!waiting) {
        waiting = true;
        logger.info({ database: db.location }, 'Another process is migrating the database: waiting for it to finish');
      }
      logger.debug({ err: (err as Error).message }, 'migration attempt refused; retrying');
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}

/** Frees a migration lock left behind by an interrupted process (`db migrate --unlock`). */
export async function releaseMigrationLock(db: Db): Promise<void> {
  await db.knex.migrate.forceFreeMigrationsLock({ migrationSource: createMigrationSource(), tableName: MIGRATION_TABLE });
}

/** Names of the migrations this build knows, oldest first. */
export function knownMigrations(): string[] {
  return MIGRATIONS.map((m) => m.name);
}
