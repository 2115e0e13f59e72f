/**
 * `paywall db backup [FILE] [--out FILE]`: a consistent copy of the live
 * SQLite database (online, while the bot runs); a PostgreSQL database exits
 * 2, pointing to pg_dump (SPEC 2). Without a name,
 * `paywall-backup-<UTC timestamp>.sqlite` in the working directory. Prints the backup's path alone on
 * stdout; progress and the final size line go to stderr. An existing file is
 * never overwritten (exit 2). Never migrates: a backup taken before an
 * upgrade holds the old schema.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../../config/config.js';
import { redactUrl } from '../../config/config.js';
import { backupDatabase } from '../../db/backup.js';
import type { Logger } from '../../log/logger.js';
import { EXIT, UsageError } from '../errors.js';

/** The file, given as the argument or as --out. */
export interface DbBackupOptions {
  file?: string;
  out?: string;
}

/** Where the command writes, and whether stderr is a terminal. */
export interface BackupIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

/** `20240501T123005Z`: sortable, and valid in a file name everywhere. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A size for people: `812 B`, `4.2 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The absolute path of the backup: the name given, or the default one in the working directory. */
export function backupPath(config: Config, options: DbBackupOptions, now: Date): string {
  if (options.file !== undefined && options.out !== undefined && options.file !== options.out) {
    throw new UsageError(`Two backup files were named (${options.file} and --out ${options.out}).`, 'Name the file once: paywall db backup FILE (or --out FILE).');
  }
  const given = options.file ?? options.out;
  if (given === '') throw new UsageError('The backup file name is empty.', 'Name a file: paywall db backup backups/paywall.sqlite');
  const name = given ?? `paywall-backup-${backupStamp(now)}.sqlite`;
  return isAbsolute(name) ? name : resolve(config.cwd, name);
}

/** `db backup`: writes the backup and prints its path. */
export async function dbBackup(config: Config, logger: Logger, options: DbBackupOptions, io: BackupIo): Promise<number> {
  const database = config.database;
  if (database.kind === 'postgres') {
    throw new UsageError(
      `paywall db backup copies SQLite databases; ${redactUrl(database.url)} is PostgreSQL, which has its own tool for consistent online backups.`,
      'Use pg_dump: pg_dump --format=custom --file=paywall.dump "$DATABASE_URL" (restore with pg_restore --clean --if-exists -d "$DATABASE_URL" paywall.dump).',
    );
  }
  const out = backupPath(config, options, new Date());
  let shown = false;
  const result = await backupDatabase(database, {
    out,
    logger,
    progressEveryMs: io.isTTY ? 500 : 5_000,
    onProgress: (bytes) => {
      shown = true;
      io.stderr(io.isTTY ? `\rBacking up… ${formatBytes(bytes)} written` : `Backing up… ${formatBytes(bytes)} written\n`);
    },
  });
  if (shown && io.isTTY) io.stderr('\n');
  io.stdout(`${result.file}\n`);
  io.stderr(`Backed up the SQLite database to ${result.file}: ${formatBytes(result.bytes)} in ${(result.elapsedMs / 1000).toFixed(1)} s.\n`);
  return EXIT.OK;
}
