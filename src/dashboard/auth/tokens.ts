/**
 * The secrets of a dashboard session: the session token (32 random bytes,
 * base64url, kept only by the browser), its SHA-256 (the stored id), and CSRF
 * tokens. Comparisons of secrets are constant-time (sameSecret).
 */
import { createHash, randomBytes } from 'node:crypto';

/** What a session or CSRF token looks like: 43 base64url characters (32 bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token: 32 random bytes, base64url. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new CSRF token: 32 random bytes, base64url. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored id of a session token: its SHA-256 in hex. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
