/** The UserRepo port over the `users` table. */
import type { Knex } from 'knex';
import type { User, UserProfile, UserRepo } from '../paywall/index.js';
import { chunksOf } from './chunks.js';
import { textOrNull } from './repo-rows.js';
import { fromDbBool, fromDbInt, fromDbTime, fromDbTimeOrNull, toDbTime } from './values.js';

/** A `users` row. */
export type UserRow = Record<'id' | 'username' | 'first_name' | 'last_name' | 'language_code' | 'blocked' | 'first_seen_at' | 'last_seen_at', unknown>;

/** A stored user. */
export function toUser(row: UserRow): User {
  return {
    id: fromDbInt(row.id),
    username: textOrNull(row.username),
    firstName: textOrNull(row.first_name),
    lastName: textOrNull(row.last_name),
    languageCode: textOrNull(row.language_code),
    blocked: fromDbBool(row.blocked),
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTimeOrNull(row.last_seen_at),
  };
}

function isSqlite(knex: Knex): boolean {
  return (knex.client as { dialect?: string }).dialect === 'sqlite3';
}

/** The row of a user seen at `seen` (epoch ms) with this profile. */
function seenRow(profile: UserProfile, seen: number) {
  return {
    id: profile.id,
    username: profile.username ?? null,
    first_name: profile.firstName ?? null,
    last_name: profile.lastName ?? null,
    language_code: profile.languageCode ?? null,
    blocked: false,
    blocked_at: null,
    first_seen_at: seen,
    last_seen_at: seen,
  };
}

/** What a sighting updates: everything but first_seen_at; any update clears the blocked mark. */
const SEEN_MERGE = ['username', 'first_name', 'last_name', 'language_code', 'blocked', 'blocked_at', 'last_seen_at'];

/** Builds the UserRepo. `knex` may be a transaction. */
export function createUserRepo(knex: Knex): UserRepo {
  async function get(id: number): Promise<User | undefined> {
    const row: UserRow | undefined = await knex('users').where({ id }).first();
    return row ? toUser(row) : undefined;
  }

  return {
    async touch(profile, at) {
      const seen = toDbTime(at);
      const rows: UserRow[] = await knex('users')
        .insert(seenRow(profile, seen))
        .onConflict('id')
        .merge(SEEN_MERGE)
        .returning('*');
      if (!rows[0]) throw new Error(`User ${profile.id} vanished while being stored.`);
      return toUser(rows[0]);
    },
    async touchMany(profiles, at) {
      const seen = toDbTime(at);
      // One row per user (PostgreSQL refuses to update a row twice in one statement): the last profile wins.
      const byId = new Map(profiles.map((p) => [p.id, p]));
      const rows = [...byId.values()].map((profile) => seenRow(profile, seen));
      for (const slice of chunksOf(rows, 100)) await knex('users').insert(slice).onConflict('id').merge(SEEN_MERGE);
    },
    async ensure(id, at) {
      await knex('users').insert({ id, blocked: false, first_seen_at: toDbTime(at), last_seen_at: null }).onConflict('id').ignore();
      const user = await get(id);
      if (!user) throw new Error(`User ${id} vanished while being created.`);
      return user;
    },
    get,
    async setBlocked(id, blocked, at) {
      await knex('users').where({ id }).update({ blocked, blocked_at: blocked ? toDbTime(at) : null });
    },
    async lock(id) {
      // SQLite: the transaction already holds the write lock (see store.ts), and knex leaves FOR UPDATE out there anyway.
      if (isSqlite(knex)) return;
      await knex('users').select('id').where({ id }).forUpdate();
    },
  };
}
