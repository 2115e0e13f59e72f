/**
 * Everything the fake knows about one bot. Method files added later
 * (payments, invites, chat members) keep their own per-bot data in a slot
 * (`botSlot`) rather than growing this interface.
 */
import type { BotCommand, UserFromGetMe } from 'grammy/types';
import { createChatStore, type ChatStore } from './chat-store.js';
import { createUpdateQueue, type UpdateQueue } from './update-queue.js';

/** A webhook set by setWebhook. */
export interface WebhookState {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
  maxConnections: number;
}

/** The long poll a bot has waiting, if any (see long-poll.ts). */
export interface PendingPoll {
  /** Ends the poll at once with this error (409 when another consumer shows up). */
  terminate(error: Error): void;
}

/** One bot. */
export interface BotState {
  readonly token: string;
  readonly user: UserFromGetMe;
  revoked: boolean;
  readonly updates: UpdateQueue;
  /** allowed_updates as last set; undefined is Telegram's default set. */
  subscription: string[] | undefined;
  webhook: WebhookState | undefined;
  poll: PendingPoll | undefined;
  /** Users who blocked the bot. */
  readonly blocked: Set<number>;
  readonly chats: ChatStore;
  /** Callback query ids handed out, with whether they were answered. */
  readonly callbackQueries: Map<string, { answered: boolean }>;
  /** Command lists by scope and language (see methods-commands.ts). */
  readonly commands: Map<string, BotCommand[]>;
  /** Per-bot data of method files added later, by name. */
  readonly slots: Map<string, unknown>;
}

/** A new bot with an empty queue. */
export function createBotState(token: string, user: UserFromGetMe, firstUpdateId: number): BotState {
  return {
    token,
    user,
    revoked: false,
    updates: createUpdateQueue(firstUpdateId),
    subscription: undefined,
    webhook: undefined,
    poll: undefined,
    blocked: new Set(),
    chats: createChatStore(),
    callbackQueries: new Map(),
    commands: new Map(),
    slots: new Map(),
  };
}

/** The bot's data for `name`, created by `init` on first use. */
export function botSlot<T>(bot: BotState, name: string, init: () => T): T {
  if (!bot.slots.has(name)) bot.slots.set(name, init());
  return bot.slots.get(name) as T;
}

/** The bot as it appears in `from` of its messages. */
export function botAsSender(bot: BotState): { id: number; is_bot: true; first_name: string; username: string } {
  return { id: bot.user.id, is_bot: true, first_name: bot.user.first_name, username: bot.user.username };
}
