/**
 * The overview numbers: users, active subscribers, and revenue (all time,
 * today, the last 30 UTC days), net of refunds: a refunded payment counts
 * neither as revenue nor as a payment.
 */
import type { Knex } from 'knex';
import { toDbTime } from '../values.js';

/** The numbers of `GET /api/stats`. */
export interface Stats {
  users: number;
  activeSubscribers: number;
  /** All time, in Stars, refunded payments left out. */
  revenueStars: number;
  /** Since 00:00 UTC today. */
  revenueToday: number;
  /** Since 00:00 UTC 29 days ago: today and the 29 days before it. */
  revenue30d: number;
  /** Payments not refunded. */
  payments: number;
  refunds: number;
}

const DAY_MS = 86_400_000;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Reads the overview numbers as of `now`. */
export async function readStats(knex: Knex, now: Date): Promise<Stats> {
  const nowMs = toDbTime(now);
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const since30 = today - 29 * DAY_MS;
  const [users] = (await knex('users').count({ n: '*' })) as [{ n: unknown }];
  // Subscribers, not subscriptions: a user with two live plans counts once.
  const [active] = (await knex('subscriptions')
    .where('status', 'active')
    .andWhere((w) => void w.whereNull('expires_at').orWhere('expires_at', '>', nowMs))
    .countDistinct({ n: 'user_id' })) as [{ n: unknown }];
  const [money] = (await knex('payments').select(
    knex.raw("sum(case when status = 'paid' then amount else 0 end) as revenue"),
    knex.raw("sum(case when status = 'paid' and created_at >= ? then amount else 0 end) as today", [today]),
    knex.raw("sum(case when status = 'paid' and created_at >= ? then amount else 0 end) as month", [since30]),
    knex.raw("sum(case when status = 'paid' then 1 else 0 end) as paid"),
    knex.raw("sum(case when status = 'refunded' then 1 else 0 end) as refunded"),
  )) as [Record<'revenue' | 'today' | 'month' | 'paid' | 'refunded', unknown>];
  return {
    users: num(users.n),
    activeSubscribers: num(active.n),
    revenueStars: num(money.revenue),
    revenueToday: num(money.today),
    revenue30d: num(money.month),
    payments: num(money.paid),
    refunds: num(money.refunded),
  };
}
