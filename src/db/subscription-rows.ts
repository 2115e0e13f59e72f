/** Reading subscriptions back with their chats (`subscriptions` + `subscription_chats`). */
import type { Knex } from 'knex';
import type { Subscription } from '../paywall/index.js';
import { textOrNull } from './repo-rows.js';
import { fromDbInt, fromDbIntOrNull, fromDbTime, fromDbTimeOrNull } from './values.js';

/** A `subscriptions` row. */
export type SubscriptionRow = Record<'id' | 'user_id' | 'plan_id' | 'status' | 'starts_at' | 'expires_at' | 'reminded_at' | 'removed_at' | 'recurring_charge_id', unknown>;

/** The columns of a SubscriptionRow, qualified by `alias`. */
export function subscriptionColumns(alias: string): string[] {
  return ['id', 'user_id', 'plan_id', 'status', 'starts_at', 'expires_at', 'reminded_at', 'removed_at', 'recurring_charge_id'].map((c) => `${alias}.${c}`);
}

/** A stored subscription with its chats. */
export function toSubscription(row: SubscriptionRow, chatIds: readonly number[]): Subscription {
  return {
    id: fromDbInt(row.id),
    userId: fromDbInt(row.user_id),
    planId: fromDbIntOrNull(row.plan_id),
    chatIds,
    status: String(row.status) as Subscription['status'],
    startsAt: fromDbTime(row.starts_at),
    expiresAt: fromDbTimeOrNull(row.expires_at),
    remindedAt: fromDbTimeOrNull(row.reminded_at),
    removedAt: fromDbTimeOrNull(row.removed_at),
    recurringChargeId: textOrNull(row.recurring_charge_id),
  };
}

/** The rows as subscriptions, in their order, with the chats of each loaded in one query. */
export async function withChats(knex: Knex, rows: readonly SubscriptionRow[]): Promise<Subscription[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => fromDbInt(row.id));
  const chats = new Map<number, number[]>(ids.map((id) => [id, []]));
  const chatRows: Array<{ subscription_id: unknown; chat_id: unknown }> = await knex('subscription_chats')
    .whereIn('subscription_id', ids)
    .orderBy(['subscription_id', 'position', 'chat_id'])
    .select('subscription_id', 'chat_id');
  for (const row of chatRows) chats.get(fromDbInt(row.subscription_id))?.push(fromDbInt(row.chat_id));
  return rows.map((row) => toSubscription(row, chats.get(fromDbInt(row.id)) ?? []));
}
