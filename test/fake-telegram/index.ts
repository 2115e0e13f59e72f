/**
 * The fake Telegram Bot API server: the one test double of this project.
 * Start one per test with createFakeTelegram(), give grammY its apiRoot, and
 * close() it in t.after. Another process drives it over POST /_control/…
 * (see control.ts).
 *
 * Adding methods (payments, invites, chat members…): write a methods-x.ts
 * exporting a MethodTable of handlers `(ctx) => result` that throw ApiError
 * (badRequest, forbidden…) with Telegram's wording; keep per-bot data with
 * botSlot(ctx.bot, 'x', init); use recipientChat/saveBotMessage for sends;
 * then list the table in BUILT_IN_METHODS (server.ts), or pass it as
 * createFakeTelegram({ methods: [X_METHODS] }). Sending methods named in
 * RATE_LIMITED_METHODS are rate limited by setRateLimit.
 *
 * Stars payments (sendInvoice, createInvoiceLink, answerPreCheckoutQuery,
 * refundStarPayment, editUserStarSubscription, getStarTransactions) are driven
 * by fake.pay and friends (payment-types.ts); channels, members and invite
 * links (getChat, getChatMember, ban/unban, invite links, join requests) by
 * fake.addChat and friends (chat-types.ts).
 */
export { createFakeTelegram, BUILT_IN_METHODS } from './server.js';
export { ApiError, badRequest, forbidden, conflict, tooManyRequests } from './api-error.js';
export { botSlot, type BotState } from './bot-state.js';
export { DescribedResult, type MethodContext, type MethodHandler, type MethodTable } from './method-registry.js';
export { recipientChat, readFormattedText, saveBotMessage } from './outgoing.js';
export { CONFLICT_OTHER_POLL, CONFLICT_WEBHOOK_ACTIVE } from './long-poll.js';
export { RATE_LIMITED_METHODS } from './faults.js';
export { DROPPED, type ChaosKind, type ChaosOptions, type ChaosStats, type DropNextOptions } from './chaos.js';
export { INVOICE_ERRORS, STARS, SUBSCRIPTION_PERIOD_SECONDS } from './invoice-rules.js';
export { PRE_CHECKOUT_TIMEOUT_MS } from './pre-checkout.js';
export { STAR_ERRORS } from './methods-stars.js';
export { INVITE_ERRORS } from './methods-invites.js';
export { DEFAULT_BOT_RIGHTS, DEFAULT_CHAT_OWNER } from './managed-chats.js';
export { callBotApi, callControl, type BotApiAnswer } from './client.js';
export type { FakeState } from './state.js';
export type {
  AddBotOptions,
  ApiResponseBody,
  CallFilter,
  CallMatch,
  FailNextOptions,
  FakeTelegram,
  FakeTelegramOptions,
  FakeUser,
  RateLimitOptions,
  RecordedCall,
  UpdateInput,
  UserPressesOptions,
  UserSendsOptions,
  WaitForCallOptions,
  WebhookRecord,
} from './types.js';
export type {
  DeliveredPayment,
  FakePayments,
  InvoiceRecord,
  InvoiceRef,
  PayOptions,
  PayOutcome,
  PayResult,
  PreCheckoutAnswer,
  PreCheckoutOptions,
  PreCheckoutOverride,
  PreCheckoutRecord,
  RefundedPaymentOptions,
  StarCharge,
  SuccessfulPaymentOptions,
} from './payment-types.js';
export type {
  AddChatOptions,
  BotChatStatus,
  BotRights,
  ChatEvent,
  FakeChats,
  MemberStatus,
  RequestJoinOptions,
  SetMemberOptions,
} from './chat-types.js';
