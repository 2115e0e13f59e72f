/**
 * Checks, before SQLite opens it, that the database file can be created and
 * written, so that a bad path is a clear exit 2 at once and never a hang or a
 * silently read-only database.
 */
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { errorCode, sqliteFileError } from './db-errors.js';

/**
 * mkdir -p, bounded by the path's depth. Node 20's `mkdirSync(dir, {recursive: true})`
 * spins forever where the kernel answers ENOENT to every mkdir (e.g. under /proc).
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') {
      if (statSync(dir).isDirectory()) return;
      throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    }
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
  }
  makeDirectory(dirname(dir));
  mkdirSync(dir);
}

/** Creates the file's directory and checks that both are writable; throws UsageError otherwise. */
export function prepareSqliteFile(filename: string): void {
  const dir = dirname(filename);
  try {
    makeDirectory(dir);
  } catch (err) {
    throw sqliteFileError(filename, `its directory ${dir} cannot be created (${errorCode(err) ?? (err as Error).message})`);
  }
  let stats: Stats | undefined;
  try {
    stats = statSync(filename);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw sqliteFileError(filename, `it cannot be read (${errorCode(err) ?? (err as Error).message})`);
  }
  if (stats?.isDirectory()) {
    throw new UsageError(`DATABASE_URL names ${filename}, which is a directory.`, `Name a file inside it, like this: DATABASE_URL=sqlite:${filename}/paywall.db`);
  }
  try {
    // WAL mode creates -wal and -shm files beside the database: the directory must be writable too.
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw sqliteFileError(filename, `its directory ${dir} is not writable`);
  }
  if (stats) {
    try {
      accessSync(filename, constants.R_OK | constants.W_OK);
    } catch {
      throw sqliteFileError(filename, 'the file is read-only');
    }
  }
}
