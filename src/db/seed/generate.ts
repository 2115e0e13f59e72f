/**
 * The demo-data generator: for a run of consecutive user ids it builds every
 * row those users own (user, orders, subscriptions and their chats, payments)
 * as positional values, with ids computed here so that nothing is read back.
 *
 * The shape: about 70% of users have paid, 1–5 times each over the last ~6
 * months on one plan; a one-off payment made while the previous one still runs
 * extends that subscription, a recurring plan charges every 30 days on one
 * subscription; ~3% of payments are refunded (the time they bought is taken
 * back, and a subscription left with none is revoked).
 */
import { FIRST_NAMES, LANGUAGES, LAST_NAMES } from './names.js';
import type { SeedPlan } from './plans.js';
import type { Random } from './random.js';
import type { TableRows } from './write.js';

const DAY_MS = 86_400_000;
const HISTORY_MS = 180 * DAY_MS;
const PAID_SHARE = 0.7;
const REFUND_SHARE = 0.03;
const BLOCKED_SHARE = 0.03;
// About three per buyer, so that a million users bring about two million payments (the scale the dashboard is measured at).
const PAYMENTS_PER_BUYER: readonly (readonly [number, number])[] = [[1, 15], [2, 20], [3, 25], [4, 20], [5, 20]];

/** Column lists, in the order the generator writes values. */
export const COLUMNS = Object.freeze({
  users: ['id', 'username', 'first_name', 'last_name', 'language_code', 'blocked', 'blocked_at', 'first_seen_at', 'last_seen_at'],
  orders: ['id', 'payload', 'user_id', 'plan_id', 'amount', 'currency', 'status', 'created_at', 'paid_at'],
  subscriptions: ['id', 'user_id', 'plan_id', 'status', 'starts_at', 'expires_at', 'reminded_at', 'removed_at', 'ended_notified_at', 'recurring_charge_id', 'created_at', 'updated_at'],
  subscription_chats: ['subscription_id', 'chat_id', 'position'],
  payments: ['charge_id', 'provider_charge_id', 'user_id', 'plan_id', 'order_id', 'subscription_id', 'duration_seconds', 'amount', 'currency', 'is_recurring', 'subscription_expires_at', 'status', 'source', 'created_at', 'refunded_at'],
});

/** The next order and subscription ids to hand out; advanced by the generator. */
export interface IdCursor {
  orderId: number;
  subscriptionId: number;
}

/** Every row of one batch of users, in insertion order (parents before children). */
export interface SeedBatch {
  readonly tables: readonly TableRows[];
  readonly refunded: number;
}

interface Draft {
  chargeId: string;
  at: number;
  orderId: number | null;
  refundedAt: number | null;
}

interface SubscriptionDraft {
  id: number;
  startsAt: number;
  expiresAt: number | null;
  drafts: Draft[];
}

/** Context shared by every user of a batch. */
interface Batch {
  readonly rand: Random;
  readonly plans: readonly (readonly [SeedPlan, number])[];
  readonly cursor: IdCursor;
  readonly nowMs: number;
  readonly rows: { users: unknown[][]; orders: unknown[][]; subscriptions: unknown[][]; subscription_chats: unknown[][]; payments: unknown[][] };
  refunded: number;
}

/** Generates users `firstUserId` … `firstUserId + count - 1` and everything they bought. */
export function generateBatch(rand: Random, plans: readonly SeedPlan[], firstUserId: number, count: number, cursor: IdCursor, nowMs: number): SeedBatch {
  const batch: Batch = {
    rand, cursor, nowMs, refunded: 0,
    plans: plans.map((p) => [p, p.weight] as const),
    rows: { users: [], orders: [], subscriptions: [], subscription_chats: [], payments: [] },
  };
  for (let i = 0; i < count; i++) generateUser(batch, firstUserId + i);
  const tables = (Object.keys(batch.rows) as (keyof Batch['rows'])[]).map((table) => ({ table, columns: COLUMNS[table], rows: batch.rows[table] }));
  return { tables, refunded: batch.refunded };
}

function generateUser(batch: Batch, userId: number): void {
  const { rand, nowMs } = batch;
  let firstSeen = nowMs - Math.floor(rand.next() * (HISTORY_MS + 20 * DAY_MS));
  let lastActivity = firstSeen;
  if (batch.plans.length > 0 && rand.chance(PAID_SHARE)) {
    const plan = rand.weighted(batch.plans);
    const times = purchaseTimes(rand, plan, nowMs);
    firstSeen = times[0]! - Math.floor(rand.next() * 14 * DAY_MS);
    lastActivity = times[times.length - 1]!;
    purchase(batch, userId, plan, times);
  }
  const lastSeen = lastActivity + Math.floor(rand.next() * (nowMs - lastActivity));
  const blocked = rand.chance(BLOCKED_SHARE);
  const first = rand.pick(FIRST_NAMES);
  const last = rand.chance(0.5) ? rand.pick(LAST_NAMES) : null;
  const username = rand.chance(0.65) ? `${slug(first)}${last ? `_${slug(last)}` : ''}_${userId.toString(36)}` : null;
  batch.rows.users.push([
    userId, username, first, last, rand.weighted(LANGUAGES), blocked,
    blocked ? lastSeen + Math.floor(rand.next() * (nowMs - lastSeen)) : null, firstSeen, lastSeen,
  ]);
}

/** When a buyer paid, oldest first: monthly charges for a recurring plan, any times within the history otherwise. */
function purchaseTimes(rand: Random, plan: SeedPlan, nowMs: number): number[] {
  const count = plan.durationSeconds === null ? 1 : rand.weighted(PAYMENTS_PER_BUYER);
  if (plan.recurring && plan.durationSeconds !== null) {
    const period = plan.durationSeconds * 1000;
    const span = (count - 1) * period;
    const first = nowMs - span - 3_600_000 - Math.floor(rand.next() * Math.max(0, HISTORY_MS - span));
    return Array.from({ length: count }, (_, i) => first + i * period);
  }
  return Array.from({ length: count }, () => nowMs - 60_000 - Math.floor(rand.next() * HISTORY_MS)).sort((a, b) => a - b);
}

function purchase(batch: Batch, userId: number, plan: SeedPlan, times: readonly number[]): void {
  const { rand, cursor, nowMs } = batch;
  const durationMs = plan.durationSeconds === null ? null : plan.durationSeconds * 1000;
  const subscriptions: SubscriptionDraft[] = [];
  let current: SubscriptionDraft | undefined;
  times.forEach((at, n) => {
    const renewal = plan.recurring && n > 0;
    const draft: Draft = {
      chargeId: `stx_seed_${userId}_${n}`,
      at,
      orderId: renewal ? null : cursor.orderId++,
      refundedAt: rand.chance(REFUND_SHARE) ? Math.min(nowMs, at + rand.int(3_600_000, 3 * DAY_MS)) : null,
    };
    // A payment made while the subscription still runs extends it (as the bot does); a recurring plan always does.
    if (current && durationMs !== null && (plan.recurring || (current.expiresAt ?? Infinity) > at)) {
      current.expiresAt = current.expiresAt! + durationMs;
    } else {
      current = { id: cursor.subscriptionId++, startsAt: at, expiresAt: durationMs === null ? null : at + durationMs, drafts: [] };
      subscriptions.push(current);
    }
    current.drafts.push(draft);
  });
  for (const sub of subscriptions) writeSubscription(batch, userId, plan, sub, durationMs);
}

function writeSubscription(batch: Batch, userId: number, plan: SeedPlan, sub: SubscriptionDraft, durationMs: number | null): void {
  const { rows, nowMs } = batch;
  const refunds = sub.drafts.filter((d) => d.refundedAt !== null);
  batch.refunded += refunds.length;
  // A refund takes back the time its payment bought.
  const expiresAt = sub.expiresAt === null || durationMs === null ? sub.expiresAt : sub.expiresAt - refunds.length * durationMs;
  const lastRefund = Math.max(0, ...refunds.map((d) => d.refundedAt!));
  const revoked = refunds.length === sub.drafts.length;
  const expired = !revoked && expiresAt !== null && expiresAt <= nowMs;
  const removedAt = revoked ? lastRefund : expired ? Math.min(nowMs, expiresAt + 60_000) : null;
  const remindedAt = expired && !plan.recurring ? expiresAt - DAY_MS : null;
  const lastPayment = sub.drafts[sub.drafts.length - 1]!.at;
  const firstCharge = sub.drafts[0]!.chargeId;
  rows.subscriptions.push([
    sub.id, userId, plan.id, revoked ? 'revoked' : expired ? 'expired' : 'active', sub.startsAt, expiresAt,
    remindedAt, removedAt, expired ? removedAt : null, plan.recurring ? firstCharge : null,
    sub.startsAt, Math.max(lastPayment, lastRefund, removedAt ?? 0),
  ]);
  plan.chatIds.forEach((chatId, position) => rows.subscription_chats.push([sub.id, chatId, position]));
  for (const draft of sub.drafts) {
    if (draft.orderId !== null) {
      const payload = `seed_${draft.orderId.toString(36)}_${Math.floor(batch.rand.next() * 2 ** 48).toString(36)}`;
      rows.orders.push([draft.orderId, payload, userId, plan.id, plan.price, 'XTR', 'paid', draft.at - batch.rand.int(5_000, 120_000), draft.at]);
    }
    rows.payments.push([
      draft.chargeId, null, userId, plan.id, draft.orderId, sub.id, plan.durationSeconds, plan.price, 'XTR', plan.recurring,
      plan.recurring && durationMs !== null ? draft.at + durationMs : null, draft.refundedAt === null ? 'paid' : 'refunded',
      'seed', draft.at, draft.refundedAt,
    ]);
  }
}

/** A name as a Telegram username fragment: ASCII letters only. */
function slug(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}
