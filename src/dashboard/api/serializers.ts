/**
 * The JSON shapes of SPEC 6: camelCase keys, times as ISO 8601 UTC strings,
 * money as integer Stars, lists as `{items, page, limit, total}`.
 */
import type { Broadcast, Payment, Plan, Subscription } from '../../paywall/index.js';
import type { ApiBotStatus, ApiStats, ApiUserRecord } from './ports.js';

/** A time as ISO 8601 UTC, or null. */
export function isoTime(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** A list answer. */
export function listJson<T>(items: readonly T[], page: number, limit: number, total: number) {
  return { items, page, limit, total };
}

/** A subscription; an active one whose expiry has passed shows as expired. */
export function subscriptionJson(sub: Subscription, now: Date) {
  const lapsed = sub.status === 'active' && sub.expiresAt !== null && sub.expiresAt.getTime() <= now.getTime();
  return {
    id: sub.id,
    planId: sub.planId,
    chatIds: [...sub.chatIds],
    status: lapsed ? ('expired' as const) : sub.status,
    startsAt: isoTime(sub.startsAt),
    expiresAt: isoTime(sub.expiresAt),
  };
}

/** A payment. */
export function paymentJson(payment: Payment) {
  return {
    chargeId: payment.chargeId,
    userId: payment.userId,
    planId: payment.planId,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    createdAt: isoTime(payment.createdAt),
    refundedAt: isoTime(payment.refundedAt),
  };
}

/** A user with their subscriptions and payments. */
export function userJson(record: ApiUserRecord, now: Date) {
  const { user } = record;
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    languageCode: user.languageCode,
    blocked: user.blocked,
    firstSeenAt: isoTime(user.firstSeenAt),
    lastSeenAt: isoTime(user.lastSeenAt),
    subscriptions: record.subscriptions.map((s) => subscriptionJson(s, now)),
    payments: record.payments.map(paymentJson),
  };
}

/** A plan; `duration` as written. */
export function planJson(plan: Plan) {
  return {
    id: plan.id,
    title: plan.title,
    description: plan.description,
    price: plan.price,
    duration: plan.duration,
    chatIds: [...plan.chatIds],
    active: plan.active,
    recurring: plan.recurring,
  };
}

/** A broadcast's progress. */
export function broadcastJson(broadcast: Broadcast) {
  return { id: broadcast.id, status: broadcast.status, total: broadcast.total, sent: broadcast.sent, failed: broadcast.failed };
}

/** The bot runtime's status. */
export function botJson(status: ApiBotStatus) {
  return {
    running: status.running,
    healthy: status.healthy,
    pid: status.pid,
    host: status.host,
    mode: status.mode,
    startedAt: isoTime(status.startedAt),
    lastPollAt: isoTime(status.lastPollAt),
    conflicts: status.conflicts,
  };
}

/** The overview numbers. */
export function statsJson(stats: ApiStats) {
  const { users, activeSubscribers, revenueStars, revenueToday, revenue30d, payments, refunds } = stats;
  return { users, activeSubscribers, revenueStars, revenueToday, revenue30d, payments, refunds };
}
