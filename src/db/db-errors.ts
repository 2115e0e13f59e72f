/**
 * How database failures at start-up reach the operator: a problem they must
 * fix (bad path, bad credentials) is a UsageError (exit 2); a server that
 * cannot be reached right now is a DatabaseUnavailableError (the bot exits 1
 * and is restarted, the dashboard retries). No message carries a password.
 */
import { EXIT, ExitError, UsageError } from '../cli/errors.js';
import { redactUrl } from '../config/config.js';

/**
 * The database server cannot be reached (down, refusing, timing out). Not a
 * usage error: it ends a command with exit 1 (restartable), and the dashboard
 * catches it to keep serving and retry.
 */
export class DatabaseUnavailableError extends ExitError {
  /** Where the database is, with any password redacted. */
  readonly location: string;
  constructor(location: string, reason: string) {
    super(EXIT.FAILURE, `PostgreSQL at ${location} is unreachable: ${reason}`, 'Check that the server is running and reachable from this host, and that DATABASE_URL points to it.');
    this.name = 'DatabaseUnavailableError';
    this.location = location;
  }
}

const SQLITE_FILE_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_FULL', 'SQLITE_IOERR']);

/** The error's code (`SQLITE_BUSY`, `ECONNREFUSED`, a PostgreSQL SQLSTATE), if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A UsageError naming the SQLite file and the fix. */
export function sqliteFileError(filename: string, why: string): UsageError {
  return new UsageError(
    `The SQLite database ${filename} cannot be used: ${why}.`,
    `Make it writable by the user running paywall (the file and its directory), or set DATABASE_URL=sqlite:/a/writable/dir/paywall.db.`,
  );
}

/** Maps an SQLite error about the file itself (cannot open, read-only, not a database) to a UsageError. */
export function sqliteOpenError(filename: string, err: unknown): UsageError | undefined {
  const code = errorCode(err);
  if (!code || !SQLITE_FILE_CODES.has(code)) return undefined;
  const why: Record<string, string> = {
    SQLITE_CANTOPEN: 'the file cannot be opened or created',
    SQLITE_READONLY: 'it is read-only',
    SQLITE_PERM: 'permission denied',
    SQLITE_AUTH: 'permission denied',
    SQLITE_NOTADB: 'the file is not an SQLite database',
    SQLITE_CORRUPT: 'the file is corrupt',
    SQLITE_FULL: 'the disk is full',
    SQLITE_IOERR: 'a disk I/O error occurred',
  };
  return sqliteFileError(filename, why[code] ?? code);
}

function scrub(text: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    /* an unparseable URL has no password to hide */
  }
  return password.length > 0 ? text.split(password).join('[redacted]') : text;
}

/** Maps a failure to connect to PostgreSQL: credentials or a missing database are UsageErrors, the rest DatabaseUnavailableError. */
export function postgresConnectError(url: string, err: unknown): Error {
  const location = redactUrl(url);
  const code = errorCode(err);
  const detail = scrub(err instanceof Error ? err.message : String(err), url);
  if (code === '28P01' || code === '28000') {
    return new UsageError(`PostgreSQL at ${location} rejected the credentials: ${detail}.`, 'Fix the user name and password in DATABASE_URL.');
  }
  if (code === '3D000') {
    return new UsageError(`PostgreSQL at ${location}: ${detail}.`, 'Create the database (createdb NAME), or fix its name in DATABASE_URL.');
  }
  return new DatabaseUnavailableError(location, code && !detail.includes(code) ? `${detail} (${code})` : detail);
}
