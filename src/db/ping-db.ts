/** Is the database there? pingDb, a health probe that always answers within its timeout, and isConnectionLost, which tells a lost server from a failed statement. */
import type { Db } from './create-db.js';

/** True when the database answers `select 1` within `timeoutMs`; false on error or timeout. */
export async function pingDb(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = db.knex.raw('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Socket errors of a server that went away or cannot be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL ending sessions: admin shutdown, crash shutdown, starting up or shutting down. */
const SERVER_GONE_CODES = new Set(['57P01', '57P02', '57P03']);
/** What node-postgres says when the socket closes under it. */
const LOST_MESSAGE = /Connection terminated|connection error|Connection ended unexpectedly/i;

/**
 * True when `err` says the connection to the server is gone or cannot be made
 * (a network error, SQLSTATE class 08, the server shutting down), rather than
 * that a statement failed (a constraint, a syntax error, a busy SQLite file).
 */
export function isConnectionLost(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return typeof message === 'string' && LOST_MESSAGE.test(message);
}
