/**
 * Consistent backups of a live database, never overwriting a file. SQLite:
 * `VACUUM INTO`, which copies one read snapshot (WAL-safe: the bot keeps
 * writing meanwhile, and the copy holds its own committed state, checkpointed
 * into one file), written to a hidden partial file beside the target first and
 * linked into place only when complete, so a failed backup leaves nothing that
 * looks like a backup. PostgreSQL has pg_dump for this (SPEC: `db backup`
 * refuses it, pointing there).
 */
import { constants, existsSync, statSync } from 'node:fs';
import { chmod, copyFile, link, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import type { DatabaseConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { createDb } from './create-db.js';
import { sqliteOpenError } from './db-errors.js';

/** What a finished backup wrote. */
export interface BackupResult {
  /** The backup file, as given. */
  file: string;
  bytes: number;
  elapsedMs: number;
}

/** Options of backupDatabase. */
export interface BackupOptions {
  /** The file to create (absolute); it must not exist. */
  out: string;
  logger: Logger;
  /** Called now and then with the bytes written so far. */
  onProgress?: (bytes: number) => void;
  progressEveryMs?: number;
}


function refuseExisting(out: string): UsageError {
  return new UsageError(`${out} already exists: paywall db backup never overwrites a file.`, 'Name another file, or move that one away first.');
}

/** Checks the target before any work: not there yet, in a directory that exists. */
function checkTarget(out: string): void {
  if (existsSync(out)) throw refuseExisting(out);
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`Cannot write ${out}: the directory ${dir} does not exist.`, 'Create the directory first, or name a file in an existing one.');
  }
}

async function backupSqlite(filename: string, partial: string, logger: Logger): Promise<void> {
  if (!existsSync(filename)) {
    throw new UsageError(`There is no database at ${filename} to back up.`, 'Check DATABASE_URL (a relative sqlite: path depends on the working directory), or pass --db.');
  }
  const db = await createDb({ kind: 'sqlite', filename }, logger, { verify: false });
  try {
    await db.knex.raw('VACUUM INTO ?', [partial]);
  } catch (err) {
    throw sqliteOpenError(filename, err) ?? err;
  } finally {
    await db.close();
  }
}

/** Puts the finished partial file in place without ever replacing an existing file. */
async function publish(partial: string, out: string): Promise<void> {
  // Backups hold every user and payment: readable by their owner only.
  await chmod(partial, 0o600);
  try {
    await link(partial, out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw refuseExisting(out);
    // A file system without hard links: an exclusive copy refuses an existing file just the same.
    try {
      await copyFile(partial, out, constants.COPYFILE_EXCL);
    } catch (copyErr) {
      if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') throw refuseExisting(out);
      throw copyErr;
    }
  }
}

function watchProgress(partial: string, options: BackupOptions): () => void {
  if (!options.onProgress) return () => undefined;
  const report = options.onProgress;
  const timer = setInterval(() => {
    stat(partial).then((s) => report(s.size), () => undefined);
  }, options.progressEveryMs ?? 2_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Writes a consistent backup of the SQLite `database` to `options.out`; throws UsageError when it exists. */
export async function backupDatabase(database: Extract<DatabaseConfig, { kind: 'sqlite' }>, options: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  checkTarget(options.out);
  const partial = join(dirname(options.out), `.${basename(options.out)}.${process.pid}.partial`);
  const stopWatching = watchProgress(partial, options);
  try {
    await backupSqlite(database.filename, partial, options.logger);
    await publish(partial, options.out);
  } finally {
    stopWatching();
    await rm(partial, { force: true });
  }
  return { file: options.out, bytes: (await stat(options.out)).size, elapsedMs: Date.now() - started };
}
