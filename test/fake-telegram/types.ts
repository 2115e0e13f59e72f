/**
 * The public surface of the fake Bot API server: what tests and the control
 * endpoint can do with it. Internal state lives in state.ts and bot-state.ts.
 */
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import type { FakeChats } from './chat-types.js';
import type { ChaosOptions, ChaosStats, DropNextOptions } from './chaos.js';
import type { MethodTable } from './method-registry.js';
import type { FakePayments } from './payment-types.js';

/** An update as a test writes it: everything but the id the fake assigns. */
export type UpdateInput = Omit<Update, 'update_id'>;

/** Options of createFakeTelegram. */
export interface FakeTelegramOptions {
  /** Extra or replacement method handlers (payments, invites…), by Bot API method name. */
  methods?: MethodTable[];
  /** Clock in ms; `date` fields are derived from it. Defaults to Date.now. */
  now?: () => number;
  /** update_id of the first update of each bot. Defaults to 1. */
  firstUpdateId?: number;
}

/** What addBot needs; `id` defaults to the number before the colon of the token. */
export interface AddBotOptions {
  token: string;
  id?: number;
  username?: string;
  firstName?: string;
}

/** A Telegram user as the helpers that build updates take it. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** userSends: a user writes to the bot in their private chat. */
export interface UserSendsOptions {
  user: FakeUser;
  text: string;
}

/** userPresses: a user presses an inline button carrying `data`. */
export interface UserPressesOptions {
  user: FakeUser;
  data: string;
  /** The message holding the button; defaults to the bot's latest message in that chat. */
  messageId?: number;
}

/** failNext: the next `times` calls matching method/token answer this error. */
export interface FailNextOptions {
  method?: string;
  token?: string;
  times?: number;
  errorCode: number;
  /** Defaults to Telegram's wording for the code (429: "Too Many Requests: retry after N"). */
  description?: string;
  retryAfter?: number;
}

/** setRateLimit: sliding one-second windows over the sending methods. */
export interface RateLimitOptions {
  perSecond: number;
  perChatPerSecond?: number;
}

/** A webhook as recorded by setWebhook (the fake never delivers to it). */
export interface WebhookRecord {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
}

/** The JSON body the fake answered with. */
export type ApiResponseBody =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/**
 * One Bot API request, recorded when it arrives. `status` and `response` stay
 * undefined until it is answered (a long poll may wait); the object is then
 * updated in place. Status 499 means the client went away before the answer;
 * 444 that the fake cut the connection (dropNext, setChaos), with `response`
 * set to the lost answer when the method ran before the cut.
 */
export interface RecordedCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number | undefined;
  response: ApiResponseBody | undefined;
}

/** Which calls to list: all of them when empty. */
export interface CallFilter {
  method?: string;
  token?: string;
}

/** What waitForCall waits for: a predicate, or fields that must all match. */
export type CallMatch = ((call: RecordedCall) => boolean) | (CallFilter & { status?: number });

/** Options of waitForCall. */
export interface WaitForCallOptions {
  /**
   * Position in `calls()` from which to look. By default every recorded call
   * counts, including ones made before waitForCall was called; pass
   * `{ since: fake.calls().length }` to wait for a new call only.
   */
  since?: number;
}

/**
 * The fake Bot API server. Everything is per fake: create one per test.
 * Payments (FakePayments) and channels (FakeChats) are declared beside it.
 */
export interface FakeTelegram extends FakePayments, FakeChats {
  /** Base URL to give grammY as `client.apiRoot`, e.g. http://127.0.0.1:40123. */
  readonly apiRoot: string;
  readonly port: number;
  /** Registers a bot; returns what getMe will answer. */
  addBot(options: AddBotOptions): UserFromGetMe;
  /** From now on, the token answers 401 Unauthorized. */
  revokeToken(token: string): void;
  /** Queues an update for the bot; returns its update_id. */
  pushUpdate(token: string, update: UpdateInput): number;
  /** Queues a private-chat text message from the user (a `bot_command` entity for "/…"). */
  userSends(token: string, options: UserSendsOptions): number;
  /** Queues a callback_query from the user pressing an inline button. */
  userPresses(token: string, options: UserPressesOptions): number;
  /** How many updates are queued and not confirmed yet. */
  pendingUpdates(token: string): number;
  /** The highest offset getUpdates has confirmed (0 before any). */
  lastConfirmedOffset(token: string): number;
  /** Sending to this user answers 403 "Forbidden: bot was blocked by the user". */
  blockUser(token: string, userId: number): void;
  unblockUser(token: string, userId: number): void;
  failNext(options: FailNextOptions): void;
  /** Turns the limiter on; undefined turns it off (the default). */
  setRateLimit(options: RateLimitOptions | undefined): void;
  /** Delays every Bot API answer by ms. */
  setLatency(ms: number): void;
  /** The next matching calls lose their connection without an answer (recorded with status 444). */
  dropNext(options: DropNextOptions): void;
  /** A fraction of calls get a random 5xx, delay or dropped connection; undefined turns it off. */
  setChaos(options: ChaosOptions | undefined): void;
  /** What setChaos has injected since it was last set. */
  chaosStats(): ChaosStats;
  calls(filter?: CallFilter): RecordedCall[];
  clearCalls(): void;
  /** Resolves with the first matching call; rejects after timeoutMs naming the calls seen. */
  waitForCall(match: CallMatch, timeoutMs?: number, options?: WaitForCallOptions): Promise<RecordedCall>;
  /** Messages returned by successful sendMessage calls (still recorded), optionally to one chat. */
  sentMessages(chatId?: number | string): Message[];
  webhook(token: string): WebhookRecord | undefined;
  /** How many getUpdates requests carried this token (any outcome, not reset by clearCalls). */
  getUpdatesCount(token: string): number;
  /** Long polls of this bot waiting right now (0 or 1). */
  activePolls(token: string): number;
  /** Closes the server: pending polls and open sockets end at once. */
  close(): Promise<void>;
}
