/**
 * The sweeper's questions to the `subscriptions` table: what expires, what
 * needs its reminder, what needs its members removed, and when the next of
 * these comes. All integer arithmetic on epoch milliseconds, so both databases
 * give the same answers.
 */
import type { Knex } from 'knex';
import { fromDbIntOrNull } from './values.js';

const DAY_MS = 86_400_000;
/** Terms at least this long are reminded REMINDER_LEAD_MS before expiry; shorter ones at 80% of the term. */
const LONG_TERM_MS = 4 * DAY_MS;
const REMINDER_LEAD_MS = 3 * DAY_MS;

/**
 * SQL for a subscription's reminder time (alias `s`, its plan left-joined as `p`).
 * The term is the plan's duration, or for a grant without a plan (or a lifetime
 * plan cut short by a refund) the subscription's own span.
 */
export const REMINDER_AT_SQL = [
  `case when coalesce(p.duration_seconds * 1000, s.expires_at - s.starts_at) >= ${LONG_TERM_MS}`,
  `then s.expires_at - ${REMINDER_LEAD_MS}`,
  'else s.starts_at + (s.expires_at - s.starts_at) * 8 / 10 end',
].join(' ');

/** Active subscriptions whose expiry is at or before `before`, soonest first. */
export function dueToExpireQuery(knex: Knex, before: number): Knex.QueryBuilder {
  return knex('subscriptions as s')
    .where('s.status', 'active')
    .whereNotNull('s.expires_at')
    .where('s.expires_at', '<=', before)
    .orderBy([{ column: 's.expires_at' }, { column: 's.id' }]);
}

/** Active, unreminded subscriptions, not yet expired, whose reminder time is at or before `now`, in reminder order. */
export function dueForReminderQuery(knex: Knex, now: number): Knex.QueryBuilder {
  return knex('subscriptions as s')
    .leftJoin('plans as p', 'p.id', 's.plan_id')
    .where('s.status', 'active')
    .whereNull('s.reminded_at')
    .whereNotNull('s.expires_at')
    .where('s.expires_at', '>', now)
    .whereRaw(`(${REMINDER_AT_SQL}) <= ?`, [now])
    .orderByRaw(`(${REMINDER_AT_SQL}), s.id`);
}

/** Ended subscriptions whose members are still in: expired at or before `before`, or revoked (due at once). */
export function dueForRemovalQuery(knex: Knex, before: number): Knex.QueryBuilder {
  return knex('subscriptions as s')
    .whereIn('s.status', ['expired', 'revoked'])
    .whereNull('s.removed_at')
    .where((w) => void w.where('s.status', 'revoked').orWhere((e) => void e.whereNotNull('s.expires_at').where('s.expires_at', '<=', before)))
    .orderBy([{ column: 's.expires_at' }, { column: 's.id' }]);
}

async function minimum(query: Knex.QueryBuilder): Promise<number | null> {
  const row = (await query.first()) as { at: unknown } | undefined;
  return fromDbIntOrNull(row?.at);
}

/** The earliest time after `now` at which an expiry, a reminder or a removal (`graceMs` after expiry) falls due. */
export async function nextDueTime(knex: Knex, now: number, graceMs: number): Promise<number | undefined> {
  const expiry = minimum(
    knex('subscriptions as s').min({ at: 's.expires_at' }).where('s.status', 'active').where('s.expires_at', '>', now),
  );
  const reminder = minimum(
    knex('subscriptions as s')
      .leftJoin('plans as p', 'p.id', 's.plan_id')
      .select(knex.raw(`min(${REMINDER_AT_SQL}) as at`))
      .where('s.status', 'active')
      .whereNull('s.reminded_at')
      .where('s.expires_at', '>', now)
      .whereRaw(`(${REMINDER_AT_SQL}) > ?`, [now]),
  );
  // Revoked subscriptions are due at once, so only expired ones have a removal time ahead.
  const removal = minimum(
    knex('subscriptions as s')
      .select(knex.raw('min(s.expires_at + ?) as at', [graceMs]))
      .where('s.status', 'expired')
      .whereNull('s.removed_at')
      .whereRaw('s.expires_at + ? > ?', [graceMs, now]),
  );
  const times = (await Promise.all([expiry, reminder, removal])).filter((t): t is number => t !== null);
  return times.length === 0 ? undefined : Math.min(...times);
}
