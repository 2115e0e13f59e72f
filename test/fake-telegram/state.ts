/**
 * The state of one fake server: its bots, the users and chats it has seen,
 * its clock, and the signal that fires when it closes.
 */
import { setMaxListeners } from 'node:events';
import type { Chat, UserFromGetMe } from 'grammy/types';
import { badRequest } from './api-error.js';
import { createBotState, type BotState } from './bot-state.js';
import type { AddBotOptions, FakeUser } from './types.js';

/** Shared state handed to every method handler as `ctx.fake`. */
export interface FakeState {
  readonly bots: Map<string, BotState>;
  readonly users: Map<number, FakeUser>;
  /** Chats registered beyond the private chats made up from users (groups, channels). */
  readonly chats: Map<number, Chat>;
  /** Milliseconds. */
  now(): number;
  readonly firstUpdateId: number;
  /** Aborted by close(): helpers waiting on the bot (fake.pay) stop on it. */
  readonly shutdown: AbortController;
}

/** A fresh state with no bots. */
export function createFakeState(options: { now: () => number; firstUpdateId: number }): FakeState {
  const shutdown = new AbortController();
  // Every payment waiting for the bot listens on it: many at once are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  return { bots: new Map(), users: new Map(), chats: new Map(), shutdown, ...options };
}

/** Seconds since the epoch, for `date` fields. */
export function unixTime(state: FakeState): number {
  return Math.floor(state.now() / 1000);
}

/** Registers a bot; the id defaults to the number before the token's colon. */
export function addBot(state: FakeState, options: AddBotOptions): BotState {
  const id = options.id ?? Number(options.token.split(':')[0]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error('fake-telegram: addBot needs a numeric id (or a token starting with one)');
  const user: UserFromGetMe = {
    id,
    is_bot: true,
    first_name: options.firstName ?? 'Test Bot',
    username: options.username ?? `test_${id}_bot`,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  const bot = createBotState(options.token, user, state.firstUpdateId);
  state.bots.set(options.token, bot);
  return bot;
}

/** The bot with that token, for in-process helpers; the error never shows the token. */
export function requireBot(state: FakeState, token: string): BotState {
  const bot = state.bots.get(token);
  if (!bot) throw new Error('fake-telegram: no bot has that token; call addBot first');
  return bot;
}

/** Remembers a user so that their private chat can be described later. */
export function rememberUser(state: FakeState, user: FakeUser): void {
  state.users.set(user.id, { ...state.users.get(user.id), ...user });
}

/** The private chat with a user, as Telegram describes it. */
export function privateChat(user: FakeUser): Chat.PrivateChat {
  const chat: Chat.PrivateChat = { id: user.id, type: 'private', first_name: user.first_name };
  if (user.last_name) chat.last_name = user.last_name;
  if (user.username) chat.username = user.username;
  return chat;
}

/**
 * The chat a chat_id names: a registered chat, the private chat of a known
 * or unknown user (positive ids), or a group/supergroup made up from the id.
 * An unknown "@username" is "chat not found", as on Telegram.
 */
export function resolveChat(state: FakeState, chatId: number | string): Chat {
  if (typeof chatId === 'string') {
    const name = chatId.slice(1).toLowerCase();
    const found = [...state.chats.values()].find((c) => 'username' in c && c.username?.toLowerCase() === name);
    if (!found) throw badRequest('chat not found');
    return found;
  }
  const known = state.chats.get(chatId);
  if (known) return known;
  if (chatId > 0) return privateChat(state.users.get(chatId) ?? { id: chatId, first_name: `User ${chatId}` });
  if (chatId < -1_000_000_000_000) return { id: chatId, type: 'supergroup', title: `Supergroup ${chatId}` };
  return { id: chatId, type: 'group', title: `Group ${chatId}` };
}
