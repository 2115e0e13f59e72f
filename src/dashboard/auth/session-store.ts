/**
 * The SessionStore port: admin sessions kept in the database. A row is keyed
 * by the SHA-256 (hex) of the session token; the token itself is never stored.
 * `db/` implements it structurally (the dashboard never imports `db/`).
 */

/** One stored session. */
export interface SessionRecord {
  /** sha256 hex of the session token. */
  readonly id: string;
  /** The session's CSRF token, sent back in forms (`_csrf`) and API writes (`X-CSRF-Token`). */
  readonly csrfToken: string;
  /** The address the session was opened from (for the audit of who logged in where). */
  readonly ip: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** When the session ends unless it is used again: the earlier of the idle limit and the absolute lifetime. */
  readonly expiresAt: Date;
}

/** Where sessions live. */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session with this id (token hash), expired or not; undefined when there is none. */
  find(id: string): Promise<SessionRecord | undefined>;
  /** Records a use: a new last-seen time and the expiry it moves to. */
  touch(id: string, seen: { lastSeenAt: Date; expiresAt: Date }): Promise<void>;
  /** Deletes one session; true when it existed. */
  delete(id: string): Promise<boolean>;
  /** Deletes every session (a password reset); how many there were. */
  deleteAll(): Promise<number>;
  /** Deletes the sessions expired at `now`; how many. */
  purgeExpired(now: Date): Promise<number>;
}
