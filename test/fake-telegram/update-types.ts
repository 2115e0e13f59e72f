/**
 * Update types and the `allowed_updates` subscription, read the way Telegram's
 * Bot API server reads it (Client::get_allowed_update_types): names in any
 * case, unknown names skipped, the default set for an empty list or one with
 * no known name, and no change when the parameter is absent or not a list of
 * strings.
 */
import type { Update } from 'grammy/types';

/** Every update type the Bot API knows. */
export const UPDATE_TYPES: readonly string[] = [
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection',
  'business_message', 'edited_business_message', 'deleted_business_messages', 'message_reaction',
  'message_reaction_count', 'inline_query', 'chosen_inline_result', 'callback_query', 'shipping_query',
  'pre_checkout_query', 'purchased_paid_media', 'poll', 'poll_answer', 'my_chat_member', 'chat_member',
  'chat_join_request', 'chat_boost', 'removed_chat_boost',
];

/** Types a bot receives only when it asks for them by name. */
export const DEFAULT_EXCLUDED_UPDATES: readonly string[] = ['chat_member', 'message_reaction', 'message_reaction_count'];

/** The type of an update: its one field besides update_id. */
export function updateType(update: Partial<Update>): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

/** Whether a subscription (undefined: the default one) lets this type through. */
export function isAllowed(subscription: readonly string[] | undefined, type: string): boolean {
  return subscription ? subscription.includes(type) : !DEFAULT_EXCLUDED_UPDATES.includes(type);
}

/** What a request's allowed_updates does to the subscription. */
export type SubscriptionChange = { kind: 'keep' } | { kind: 'set'; subscription: string[] | undefined };

/** Reads allowed_updates (an array, or a JSON string of one). */
export function readSubscription(value: unknown): SubscriptionChange {
  if (value === undefined || value === null || value === '') return { kind: 'keep' };
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return { kind: 'keep' };
    }
  }
  if (!Array.isArray(list) || list.some((name) => typeof name !== 'string')) return { kind: 'keep' };
  const names = new Set((list as string[]).map((name) => name.toLowerCase()));
  const known = UPDATE_TYPES.filter((type) => names.has(type));
  return { kind: 'set', subscription: known.length === 0 ? undefined : known };
}
