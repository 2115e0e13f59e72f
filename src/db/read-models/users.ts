/**
 * Users for the JSON API: a filtered, paged list (search by id, username or
 * name; status active / expired / never_paid / blocked) and one user, each
 * with their subscriptions and payments, loaded in batches per page.
 */
import type { Knex } from 'knex';
import type { Payment, Subscription, User } from '../../paywall/index.js';
import { toDbTime } from '../values.js';
import { toPayment, type PaymentRow } from '../payment-repo.js';
import { withChats, type SubscriptionRow } from '../subscription-rows.js';
import { toUser, type UserRow } from '../user-repo.js';
import { groupBy } from './rows.js';

/** Which users a list shows. */
export type UserStatusFilter = 'active' | 'expired' | 'never_paid' | 'blocked';

/** A page of users to read. */
export interface UserListQuery {
  /** Matches the id exactly, or a part of the username, first, last or full name (ASCII case-insensitive). */
  q?: string;
  status?: UserStatusFilter;
  offset: number;
  limit: number;
  /** "now", for telling live subscriptions from ended ones. */
  now: Date;
}

/** A user with everything the API shows about them. */
export interface UserRecord {
  user: User;
  /** Newest first. */
  subscriptions: Subscription[];
  /** Newest first. */
  payments: Payment[];
}

/** The users read model. */
export interface UserReads {
  list(query: UserListQuery): Promise<{ items: UserRecord[]; total: number }>;
  get(id: number): Promise<UserRecord | undefined>;
}

/** `value` as a LIKE pattern matching it anywhere, wildcards escaped (with `escape '\'`). */
export function containsPattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function liveSubscription(knex: Knex, now: number): Knex.QueryBuilder {
  return knex('subscriptions as s')
    .select(knex.raw('1'))
    .whereRaw('s.user_id = users.id')
    .where('s.status', 'active')
    .andWhere((w) => void w.whereNull('s.expires_at').orWhere('s.expires_at', '>', now));
}

function applyFilters(knex: Knex, query: Knex.QueryBuilder, filter: UserListQuery): Knex.QueryBuilder {
  const now = toDbTime(filter.now);
  const q = filter.q?.trim();
  if (q) {
    const id = /^\d{1,16}$/.test(q) ? Number(q) : undefined;
    const name = containsPattern(q);
    const handle = containsPattern(q.replace(/^@/, ''));
    query.where((w) => {
      if (id !== undefined && Number.isSafeInteger(id)) w.orWhere('users.id', id);
      w.orWhereRaw("lower(users.username) like ? escape '\\'", [handle]);
      w.orWhereRaw("lower(coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, '')) like ? escape '\\'", [name]);
    });
  }
  switch (filter.status) {
    case 'active':
      query.whereExists(liveSubscription(knex, now));
      break;
    case 'expired':
      query.whereExists(knex('subscriptions as e').select(knex.raw('1')).whereRaw('e.user_id = users.id')).whereNotExists(liveSubscription(knex, now));
      break;
    case 'never_paid':
      query.whereNotExists(knex('payments as p').select(knex.raw('1')).whereRaw('p.user_id = users.id'));
      break;
    case 'blocked':
      query.where('users.blocked', true);
      break;
    default:
      break;
  }
  return query;
}

async function withDetails(knex: Knex, users: User[]): Promise<UserRecord[]> {
  const ids = users.map((u) => u.id);
  if (ids.length === 0) return [];
  const subRows: SubscriptionRow[] = await knex('subscriptions').whereIn('user_id', ids).orderBy([{ column: 'starts_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('*');
  const subs = groupBy(await withChats(knex, subRows), (s) => s.userId);
  const payRows: PaymentRow[] = await knex('payments').whereIn('user_id', ids).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'charge_id', order: 'desc' }]).select('*');
  const pays = groupBy(payRows.map(toPayment), (p) => p.userId);
  return users.map((user) => ({ user, subscriptions: subs.get(user.id) ?? [], payments: pays.get(user.id) ?? [] }));
}

/** Builds the users read model. */
export function createUserReads(knex: Knex): UserReads {
  return {
    async list(filter) {
      const [{ total }] = (await applyFilters(knex, knex('users'), filter).count({ total: '*' })) as [{ total: unknown }];
      // Ordered by id: the primary key, so every page is an index range and stable while users are added.
      const rows: UserRow[] = await applyFilters(knex, knex('users'), filter).orderBy('users.id').offset(filter.offset).limit(filter.limit).select('users.*');
      return { items: await withDetails(knex, rows.map(toUser)), total: Number(total) };
    },
    async get(id) {
      const row: UserRow | undefined = await knex('users').where({ id }).first();
      if (!row) return undefined;
      const [record] = await withDetails(knex, [toUser(row)]);
      return record;
    },
  };
}
