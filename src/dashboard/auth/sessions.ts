/**
 * Admin sessions over a SessionStore: a new session (token and CSRF token) at
 * every login, an idle timeout of 12 hours that each use pushes back (the row
 * is touched at most once a minute), an absolute lifetime of 7 days, and
 * expired rows purged at each login.
 */
import { BackendUnavailableError } from '../api/http-errors.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import { newCsrfToken, newSessionToken, sessionIdOf } from './tokens.js';

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** A session ends this long after its login, however busy. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** A session's row is written at most this often while it is used. */
export const SESSION_TOUCH_MS = 60 * 1000;

/** A signed-in session as requests see it (`ctx.state.session`): the stored id, never the token. */
export interface ActiveSession {
  readonly id: string;
  readonly csrfToken: string;
}

/** The session operations the dashboard uses. */
export interface Sessions {
  /** Opens a new session; the token goes into the cookie and nowhere else. */
  start(ip: string | null): Promise<{ token: string; session: ActiveSession }>;
  /** The live session of a token (extending its idle time), or undefined; an expired one is deleted. */
  resolve(token: string): Promise<ActiveSession | undefined>;
  /** Ends a session by its id. */
  end(id: string): Promise<void>;
}

/** Where sessions are kept, and the clock. */
export interface SessionsOptions {
  /** The store, or undefined while the database is unreachable (every operation throws BackendUnavailableError then). */
  store: () => SessionStore | undefined;
  now?: () => Date;
}

/** When a session created at `createdAt` and last used at `seenAt` ends. */
export function sessionExpiry(createdAt: Date, seenAt: Date): Date {
  return new Date(Math.min(seenAt.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_LIFETIME_MS));
}

/** Builds the session operations. */
export function createSessions(options: SessionsOptions): Sessions {
  const now = options.now ?? (() => new Date());
  const storeOrThrow = (): SessionStore => {
    const store = options.store();
    if (!store) throw new BackendUnavailableError();
    return store;
  };
  return {
    async start(ip) {
      const store = storeOrThrow();
      const at = now();
      // Rows are only added here, so purging here keeps the table bounded.
      await store.purgeExpired(at);
      const token = newSessionToken();
      const record: SessionRecord = {
        id: sessionIdOf(token), csrfToken: newCsrfToken(), ip: ip === null ? null : ip.slice(0, 64),
        createdAt: at, lastSeenAt: at, expiresAt: sessionExpiry(at, at),
      };
      await store.create(record);
      return { token, session: { id: record.id, csrfToken: record.csrfToken } };
    },
    async resolve(token) {
      const store = storeOrThrow();
      const at = now();
      const id = sessionIdOf(token);
      const found = await store.find(id);
      if (!found) return undefined;
      if (found.expiresAt.getTime() <= at.getTime()) {
        await store.delete(id);
        return undefined;
      }
      if (at.getTime() - found.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
        await store.touch(id, { lastSeenAt: at, expiresAt: sessionExpiry(found.createdAt, at) });
      }
      return { id, csrfToken: found.csrfToken };
    },
    async end(id) {
      await storeOrThrow().delete(id);
    },
  };
}
