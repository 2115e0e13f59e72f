/**
 * Updates as Telegram would produce them when a user acts: pushUpdate for
 * any update, and builders for a private-chat text message (with its
 * bot_command entity) and for pressing an inline button (a callback query
 * whose id answerCallbackQuery then accepts once).
 */
import type { Message, MessageEntity, Update, User } from 'grammy/types';
import { botSlot, type BotState } from './bot-state.js';
import { paymentStore } from './payment-store.js';
import { privateChat, rememberUser, unixTime, type FakeState } from './state.js';
import type { FakeUser, UpdateInput, UserPressesOptions, UserSendsOptions } from './types.js';

/** The user as `from` of their messages and queries. */
export function userObject(user: FakeUser): User {
  const from: User = { id: user.id, is_bot: false, first_name: user.first_name };
  for (const key of ['last_name', 'username', 'language_code', 'is_premium'] as const) {
    if (user[key] !== undefined) Object.assign(from, { [key]: user[key] });
  }
  return from;
}

/**
 * Queues an update; messages in it are kept (so later ids do not collide),
 * and callback and pre-checkout query ids become answerable.
 */
export function pushUpdate(bot: BotState, update: UpdateInput): number {
  const pushed: Update = bot.updates.push(update);
  if (typeof pushed.message?.chat?.id === 'number' && typeof pushed.message.message_id === 'number') bot.chats.save(pushed.message);
  if (typeof pushed.callback_query?.id === 'string') bot.callbackQueries.set(pushed.callback_query.id, { answered: false });
  if (typeof pushed.pre_checkout_query?.id === 'string') registerPreCheckout(bot, pushed.pre_checkout_query);
  return pushed.update_id;
}

/** A pre_checkout_query pushed by hand (fake.pushUpdate) can be answered too; nobody waits for it. */
function registerPreCheckout(bot: BotState, query: NonNullable<Update['pre_checkout_query']>): void {
  const queries = paymentStore(bot).queries;
  if (queries.has(query.id)) return;
  const record = {
    id: query.id,
    userId: query.from?.id,
    currency: query.currency,
    totalAmount: query.total_amount,
    invoicePayload: query.invoice_payload,
    // The wall clock: pushUpdate does not see the fake's clock (answerMs is not reported for these).
    sentAt: Date.now(),
    expired: false,
  };
  queries.set(query.id, { record, onAnswer: undefined });
}

/** A bot_command entity when the text starts with "/", as Telegram adds it. */
function commandEntities(text: string): MessageEntity[] {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : [];
}

/**
 * The user writes `text` to the bot. Writing to a bot unblocks it, as on
 * Telegram (a blocked bot cannot receive messages), so the user is unblocked.
 */
export function userSends(state: FakeState, bot: BotState, options: UserSendsOptions): number {
  rememberUser(state, options.user);
  bot.blocked.delete(options.user.id);
  const entities = commandEntities(options.text);
  const message = {
    message_id: bot.chats.allocateMessageId(options.user.id),
    from: userObject(options.user),
    chat: privateChat(options.user),
    date: unixTime(state),
    text: options.text,
    ...(entities.length > 0 ? { entities } : {}),
  } as Message.TextMessage;
  return pushUpdate(bot, { message } as UpdateInput);
}

/** A callback query id in Telegram's style: a long decimal string, unique per bot. */
function nextQueryId(bot: BotState): string {
  const sequence = botSlot(bot, 'callbackQuerySequence', () => ({ last: 0 }));
  sequence.last += 1;
  return `${bot.user.id}${String(sequence.last).padStart(9, '0')}`;
}

/**
 * The user presses a button on the bot's message `messageId` (by default the
 * bot's latest message in that chat that carries an inline keyboard). A
 * message the fake does not know arrives as Telegram's inaccessible message.
 */
export function userPresses(state: FakeState, bot: BotState, options: UserPressesOptions): number {
  rememberUser(state, options.user);
  const chat = privateChat(options.user);
  const message = options.messageId === undefined
    ? bot.chats.latest(chat.id, (m) => m.from?.id === bot.user.id && m.reply_markup !== undefined)
    : bot.chats.get(chat.id, options.messageId) ?? { chat, message_id: options.messageId, date: 0 as const };
  if (!message) throw new Error('fake-telegram: userPresses found no bot message with an inline keyboard in that chat; pass messageId');
  const callbackQuery = {
    id: nextQueryId(bot),
    from: userObject(options.user),
    message,
    chat_instance: String(BigInt(bot.user.id) * 1_000_003n + BigInt(chat.id)),
    data: options.data,
  };
  return pushUpdate(bot, { callback_query: callbackQuery } as UpdateInput);
}
