/**
 * The overview's series and counts beyond the stats: revenue per UTC day
 * (net of refunds, as in stats.ts: a refunded payment counts neither as
 * revenue nor as a payment), new subscribers and churned ones. The 30-day
 * window is the one of `revenue30d`: today (UTC) and the 29 days before it.
 */
import type { Knex } from 'knex';
import { fromDbInt, toDbTime } from '../values.js';

/** Revenue of one UTC day, net of refunds. */
export interface RevenueDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  stars: number;
  payments: number;
}

/** The overview's numbers beyond the stats. */
export interface OverviewExtras {
  /** The last `days` UTC days, oldest first, today last, days without revenue included with 0. */
  revenueByDay: RevenueDay[];
  /** Users whose first subscription was created in the window. */
  newSubscribers30d: number;
  /** Users with no live subscription whose last one ended (expired or revoked) in the window. */
  churned30d: number;
}

/** Milliseconds in a UTC day; also written into the SQL as a literal so that both databases divide integers. */
export const DAY_MS = 86_400_000;
/** The subscriber counts' window, in UTC days. */
const WINDOW_DAYS = 30;

const count = (rows: unknown[]): number => fromDbInt((rows[0] as { n: unknown } | undefined)?.n ?? 0);

/** Revenue and payment counts per UTC day for `days` days ending today, oldest first. */
export async function revenueByDay(knex: Knex, now: Date, days: number): Promise<RevenueDay[]> {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`Expected a positive whole number of days, got ${days}.`);
  const today = Math.floor(toDbTime(now) / DAY_MS);
  const first = today - days + 1;
  // A range of the paid-payments index (its predicate written as a literal, so that both databases can use it),
  // grouped by integer day number: the same arithmetic on both databases.
  const rows: Array<{ day: unknown; stars: unknown; payments: unknown }> = await knex('payments')
    .whereRaw("status = 'paid'")
    .where('created_at', '>=', first * DAY_MS)
    .where('created_at', '<', (today + 1) * DAY_MS)
    .select(knex.raw(`created_at / ${DAY_MS} as day`), knex.raw('sum(amount) as stars'), knex.raw('count(*) as payments'))
    .groupByRaw(`created_at / ${DAY_MS}`);
  const byDay = new Map(rows.map((row) => [fromDbInt(row.day), row]));
  return Array.from({ length: days }, (_, i) => {
    const day = first + i;
    const row = byDay.get(day);
    return {
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      stars: row ? fromDbInt(row.stars) : 0,
      payments: row ? fromDbInt(row.payments) : 0,
    };
  });
}

/** Users whose first subscription was created at or after `since` (and not after `now`). */
async function newSubscribers(knex: Knex, since: number, now: number): Promise<number> {
  // created_at, not starts_at: a lapsed subscription renewed in place gets a new starts_at.
  const rows = await knex('subscriptions as s')
    .whereBetween('s.created_at', [since, now])
    .whereNotExists(knex('subscriptions as e').select(knex.raw('1')).whereRaw('?? = ??', ['e.user_id', 's.user_id']).where('e.created_at', '<', since))
    .countDistinct({ n: 's.user_id' });
  return count(rows);
}

/** Users with no subscription live at `now` and one that ended between `since` and `now`. */
async function churned(knex: Knex, since: number, now: number): Promise<number> {
  // When each ended: an expiry (swept or not yet), or a revocation (its last update; it had not expired then).
  const ended = knex('subscriptions')
    .select('user_id')
    .whereIn('status', ['active', 'expired'])
    .whereBetween('expires_at', [since, now])
    .unionAll((u) => void u.from('subscriptions').select('user_id').where('status', 'revoked').whereBetween('updated_at', [since, now]));
  const rows = await knex
    .from(ended.as('ended'))
    .whereNotExists(
      knex('subscriptions as l')
        .select(knex.raw('1'))
        .whereRaw('?? = ??', ['l.user_id', 'ended.user_id'])
        .where('l.status', 'active')
        .where((w) => void w.whereNull('l.expires_at').orWhere('l.expires_at', '>', now)),
    )
    .countDistinct({ n: 'ended.user_id' });
  return count(rows);
}

/** The overview's series and counts as of `now`. */
export async function readOverview(knex: Knex, now: Date, days: number): Promise<OverviewExtras> {
  const nowMs = toDbTime(now);
  const since = (Math.floor(nowMs / DAY_MS) - (WINDOW_DAYS - 1)) * DAY_MS;
  return {
    revenueByDay: await revenueByDay(knex, now, days),
    newSubscribers30d: await newSubscribers(knex, since, nowMs),
    churned30d: await churned(knex, since, nowMs),
  };
}
