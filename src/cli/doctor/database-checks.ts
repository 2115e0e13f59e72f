/**
 * The doctor's database checks: reachable (connect and answer within a few
 * seconds), migrations current, owned by this bot, failed jobs. Doctor never
 * migrates and never creates a database: a SQLite file that is not there is
 * reported, not made.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../../config/config.js';
import { BOT_ID_SETTING, createDb, createJobRepo, createSettingsStore, knownMigrations, type Db } from '../../db/index.js';
import { postgresConnectError, sqliteOpenError } from '../../db/db-errors.js';
import type { Logger } from '../../log/logger.js';
import { ExitError } from '../errors.js';
import { ok, problem, reason, warning, type CheckResult } from './check.js';

/** How long the database has to answer `select 1`. */
export const DATABASE_PING_MS = 5_000;

const MIGRATION_TABLE = 'knex_migrations';
const LOCK_TABLE = `${MIGRATION_TABLE}_lock`;

/** The database check, and the open database when it answered. */
export interface DatabaseOpen {
  result: CheckResult;
  db: Db | undefined;
}

/** Node's AggregateError (several addresses tried) has an empty message: name the first cause instead. */
function firstCause(err: unknown): unknown {
  const errors = (err as { errors?: unknown } | null)?.errors;
  return err instanceof Error && err.message === '' && Array.isArray(errors) && errors.length > 0 ? errors[0] : err;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms / 1000} s`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function failure(config: Config, err: unknown): CheckResult {
  const cause = firstCause(err);
  if (config.database.kind === 'postgres') {
    const mapped = postgresConnectError(config.database.url, cause);
    return problem('database', mapped.message, (mapped as ExitError).hint ?? 'Check DATABASE_URL and that the server is running and reachable from this host.');
  }
  const mapped = cause instanceof ExitError ? cause : sqliteOpenError(config.database.filename, cause);
  if (mapped) return problem('database', mapped.message, mapped.hint ?? 'Check DATABASE_URL.');
  return problem('database', `The SQLite database ${config.database.filename} does not answer: ${reason(cause)}.`, 'Check the file and its directory (permissions, free disk space), and DATABASE_URL.');
}

/** Opens the configured database without migrating it, and proves it answers within `pingMs`. */
export async function openDatabase(config: Config, logger: Logger, pingMs = DATABASE_PING_MS): Promise<DatabaseOpen> {
  if (config.database.kind === 'sqlite' && !existsSync(config.database.filename)) {
    return {
      result: problem('database', `There is no database at ${config.database.filename}.`,
        'If paywall runs elsewhere on this host, give doctor the same DATABASE_URL (a relative sqlite: path depends on the working directory; or pass --db). Otherwise run `paywall db migrate` or start paywall once to create it.'),
      db: undefined,
    };
  }
  let db: Db | undefined;
  try {
    db = await createDb(config.database, logger, { verify: false });
    await withTimeout(db.knex.raw('select 1'), pingMs, 'select 1');
    const where = db.kind === 'sqlite' ? `The SQLite file ${db.location}` : `PostgreSQL at ${db.location}`;
    return { result: ok('database', `${where} answers.`), db };
  } catch (err) {
    await db?.close().catch(() => undefined);
    return { result: failure(config, err), db: undefined };
  }
}

/** What the migration table says, against the migrations this build knows. */
export interface MigrationState {
  /** Names applied, oldest first; undefined when the table does not exist. */
  applied: string[] | undefined;
  known: readonly string[];
  /** The migration lock is taken (a process is migrating, or one died while migrating). */
  locked: boolean;
}

/** Reads the migration bookkeeping without changing it. */
export async function readMigrationState(db: Db): Promise<MigrationState> {
  const known = knownMigrations();
  if (!(await db.knex.schema.hasTable(MIGRATION_TABLE))) return { applied: undefined, known, locked: false };
  const rows: { name: unknown }[] = await db.knex(MIGRATION_TABLE).select('name').orderBy('id');
  const locked = (await db.knex.schema.hasTable(LOCK_TABLE)) && (await db.knex(LOCK_TABLE).where('is_locked', 1).first()) !== undefined;
  return { applied: rows.map((r) => String(r.name)), known, locked };
}

/** Judges the migration state: `current` says whether the other checks may read (and doctor write) the tables. */
export function judgeMigrations(state: MigrationState): { results: CheckResult[]; current: boolean } {
  const results: CheckResult[] = [];
  const applied = state.applied ?? [];
  const unknown = applied.filter((name) => !state.known.includes(name));
  const pending = state.known.filter((name) => !applied.includes(name));
  if (applied.length === 0) {
    results.push(problem('schema', 'The database has no paywall tables yet: it was never migrated.', 'Run `paywall db migrate`, or start paywall once (every command but doctor migrates when it starts).'));
  } else if (unknown.length > 0) {
    results.push(problem('schema', `The database was migrated by a newer paywall (migrations this version does not know: ${unknown.join(', ')}).`, 'Run doctor (and paywall) from the newer version, or point DATABASE_URL at another database.'));
  } else if (pending.length > 0) {
    results.push(problem('schema', `${pending.length} migration${pending.length === 1 ? ' is' : 's are'} not applied yet: ${pending.join(', ')}.`, 'Run `paywall db migrate` (every paywall command but doctor also migrates when it starts).'));
  } else {
    results.push(ok('schema', `The schema is up to date (${applied.length} migrations).`));
  }
  if (state.locked) {
    results.push(warning('schema', 'The migration lock is taken: a paywall process is migrating now, or one died while migrating.', 'If no paywall process is starting right now, run `paywall db migrate --unlock`.'));
  }
  return { results, current: applied.length > 0 && unknown.length === 0 && pending.length === 0 };
}

/** Whether the database was claimed by this bot, by none yet, or by another one (then doctor writes nothing to it). */
export async function checkOwner(db: Db, botId: number | undefined): Promise<{ result: CheckResult; ours: boolean }> {
  const stored = await createSettingsStore(db.knex).get(BOT_ID_SETTING);
  if (stored === undefined) return { result: ok('owner', 'No bot has claimed this database yet; the first one to start does.'), ours: true };
  if (botId === undefined) return { result: ok('owner', `The database belongs to bot ${stored}.`), ours: false };
  if (stored !== String(botId)) {
    return {
      result: problem('owner', `This database belongs to bot ${stored}, but TELEGRAM_BOT_TOKEN is for bot ${botId}: paywall refuses to start with it (exit 2).`, `Use the token of bot ${stored}, or point DATABASE_URL at another database.`),
      ours: false,
    };
  }
  return { result: ok('owner', `The database belongs to this bot (${botId}).`), ours: true };
}

/** Jobs that used all their attempts; `queued` is how many wait for a runtime. */
export async function checkJobs(db: Db): Promise<{ result: CheckResult; queued: number }> {
  const counts = await createJobRepo(db.knex, db.kind).counts();
  return { result: judgeJobs(counts), queued: counts.queued };
}

/** Judges the job counts: failed jobs are a warning. */
export function judgeJobs(counts: Record<'queued' | 'running' | 'done' | 'failed', number>): CheckResult {
  const waiting = `${counts.queued} queued, ${counts.running} running`;
  if (counts.failed === 0) return ok('jobs', `No job failed for good (${waiting}).`);
  return warning('jobs', `${counts.failed} job${counts.failed === 1 ? '' : 's'} failed for good after all their attempts (${waiting}).`,
    'See them with their errors on the dashboard\'s Warnings page (/warnings); fix the cause (often the bot\'s rights in a chat, or a user who blocked the bot) and redo the action (grant, refund, broadcast).');
}
