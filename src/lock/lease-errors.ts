/**
 * Errors of the database lease. Their messages name the database by its
 * redacted URL and never carry the password (nor the token: the lease only
 * ever sees the token hash).
 */
import { describeLeaseHolder, type LeaseHolder } from './lease-holder.js';

/** Thrown when another session holds the lease for this token (exit 3, like LockHeldError). */
export class LeaseHeldError extends Error {
  readonly holder: LeaseHolder | undefined;
  /** The database, with any password redacted. */
  readonly location: string;
  constructor(holder: LeaseHolder | undefined, location: string) {
    super(`Another paywall bot holds the database lease for this token: ${describeLeaseHolder(holder, location)}.`);
    this.name = 'LeaseHeldError';
    this.holder = holder;
    this.location = location;
  }
}

/** Thrown when PostgreSQL cannot be reached (or stops answering) while taking the lease. */
export class LeaseUnavailableError extends Error {
  /** The database, with any password redacted. */
  readonly location: string;
  /** The driver's error code (ECONNREFUSED, a SQLSTATE…), if any. */
  readonly code: string | undefined;
  constructor(location: string, cause: unknown, url: string) {
    const code = errorCode(cause);
    const detail = safeDetail(cause, url);
    super(`Could not take the database lease: PostgreSQL at ${location} is unreachable: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}.`);
    this.name = 'LeaseUnavailableError';
    this.location = location;
    this.code = code;
  }
}

/** Passed to onLost: the lease's session ended or stopped answering. */
export class LeaseLostError extends Error {
  /** What ended it, safe to log. */
  readonly reason: string;
  constructor(reason: string) {
    super(`The database lease was lost: ${reason}.`);
    this.name = 'LeaseLostError';
    this.reason = reason;
  }
}

/** The error's code, when it has a string one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error's message with the URL's password (plain or encoded) cut out. */
export function safeDetail(err: unknown, url: string): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+$/, '') || 'no detail';
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    /* an unparseable URL has no password to hide */
  }
  if (password.length === 0) return text;
  return text.split(password).join('[redacted]').split(encodeURIComponent(password)).join('[redacted]');
}
