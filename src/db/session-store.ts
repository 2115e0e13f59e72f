/**
 * The dashboard's SessionStore port over `admin_sessions` (structurally: `db/`
 * does not import the dashboard). Rows are keyed by the SHA-256 of the session
 * token; times are epoch milliseconds like every table (see values.ts).
 */
import type { Knex } from 'knex';
import { fromDbTime, toDbTime } from './values.js';

/** One admin session as stored. */
export interface AdminSession {
  id: string;
  csrfToken: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

interface AdminSessionRow {
  id: string;
  csrf_token: string;
  ip: string | null;
  created_at: unknown;
  last_seen_at: unknown;
  expires_at: unknown;
}

const TABLE = 'admin_sessions';

function toSession(row: AdminSessionRow): AdminSession {
  return {
    id: row.id,
    csrfToken: row.csrf_token,
    ip: row.ip,
    createdAt: fromDbTime(row.created_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    expiresAt: fromDbTime(row.expires_at),
  };
}

/** Builds the session store. `knex` may be a transaction (a password reset ends every session with it). */
export function createSessionStore(knex: Knex) {
  return {
    async create(session: AdminSession): Promise<void> {
      await knex(TABLE).insert({
        id: session.id,
        csrf_token: session.csrfToken,
        ip: session.ip,
        created_at: toDbTime(session.createdAt),
        last_seen_at: toDbTime(session.lastSeenAt),
        expires_at: toDbTime(session.expiresAt),
      });
    },
    async find(id: string): Promise<AdminSession | undefined> {
      const row: AdminSessionRow | undefined = await knex(TABLE).where({ id }).first();
      return row ? toSession(row) : undefined;
    },
    async touch(id: string, seen: { lastSeenAt: Date; expiresAt: Date }): Promise<void> {
      await knex(TABLE).where({ id }).update({ last_seen_at: toDbTime(seen.lastSeenAt), expires_at: toDbTime(seen.expiresAt) });
    },
    async delete(id: string): Promise<boolean> {
      return (await knex(TABLE).where({ id }).del()) > 0;
    },
    async deleteAll(): Promise<number> {
      return knex(TABLE).del();
    },
    async purgeExpired(now: Date): Promise<number> {
      return knex(TABLE).where('expires_at', '<=', toDbTime(now)).del();
    },
  };
}

/** The store createSessionStore builds. */
export type AdminSessionStore = ReturnType<typeof createSessionStore>;
