/**
 * The fake's controls over HTTP, for a separate process (a benchmark, a CLI
 * under test) to drive it: `POST /_control/<action>` with a JSON body that
 * mirrors the in-process call, answering `{ ok: true, result }` or
 * `{ ok: false, description }` (400; 404 for an unknown action).
 *
 *   addBot        { token, id?, username?, firstName? }       → the getMe user
 *   revokeToken   { token }
 *   pushUpdate    { token, update }                           → update_id
 *   userSends     { token, user, text }                       → update_id
 *   userPresses   { token, user, data, messageId? }           → update_id
 *   failNext      { method?, token?, times?, errorCode, description?, retryAfter? }
 *   setRateLimit  { perSecond, perChatPerSecond? } ({} turns it off)
 *   setLatency    { ms }
 *   dropNext      { method?, token?, times?, after? }
 *   setChaos      { rate, seed?, kinds?, errorCodes?, latencyMs?, methods?, dropAfter? } ({} turns it off)
 *   chaosStats    {}                                          → { calls, error, latency, drop }
 *   blockUser / unblockUser  { token, userId }
 *   calls         { method?, token? }                         → recorded calls
 *   clearCalls    {}
 *   pendingUpdates / lastConfirmedOffset / getUpdatesCount / activePolls / webhook  { token }
 *   sentMessages  { chatId? }
 *
 * Payments (payment-types.ts; the answer of pay and sendPreCheckout waits for the bot):
 *   pay                       { token, user, invoice, answerTimeoutMs?, deliverPayment?, isRecurring?,
 *                               isFirstRecurring?, subscriptionExpirationDate?, overrideQuery? } → PayResult
 *   sendPreCheckout           { token, user, currency, total_amount, invoice_payload, answerTimeoutMs? }
 *   deliverSuccessfulPayment  { token, user, chargeId?, payload?, amount?, currency?, … } → { updateId, chargeId }
 *   deliverHeldPayment        { token, chargeId }                 → update_id
 *   pushRefundedPayment       { token, chargeId, user? }          → update_id
 *   invoices / preCheckoutQueries / starCharges / starTransactions  { token }
 * Chats (chat-types.ts):
 *   addChat       { token, id, type, title, username?, botRights?, owner? } → Chat
 *   setBotRights  { token, chatId, rights, by? }                → update_id, or null when nothing changed
 *   requestJoin   { token, user, chatId, inviteLink?, bio? }    → update_id
 *   setMember     { token, user, chatId, status }
 *   memberStatus  { token, chatId, userId }                     → status
 *   chatEvents / inviteLinks  { token, chatId }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './dispatch.js';
import type { FakeApi } from './fake-api.js';
import { readBody } from './read-params.js';
import type { AddChatOptions, BotRights, RequestJoinOptions, SetMemberOptions } from './chat-types.js';
import type { ChaosOptions, DropNextOptions } from './chaos.js';
import type { PayOptions, PreCheckoutOptions, RefundedPaymentOptions, SuccessfulPaymentOptions } from './payment-types.js';
import type { AddBotOptions, FailNextOptions, FakeUser, UpdateInput } from './types.js';

type Body = Record<string, unknown>;

function text(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name}: expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function integer(body: Body, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name}: expected an integer, got ${JSON.stringify(value)}`);
  return value;
}

function object<T>(body: Body, name: string): T {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${name}: expected an object, got ${JSON.stringify(value)}`);
  return value as T;
}

/** The body without its token, as the options of an in-process call; `user`, when named, must be an object. */
function options<T>(body: Body, withUser = false): T {
  const { token: _token, ...rest } = body;
  return (withUser ? { ...rest, user: object<FakeUser>(body, 'user') } : rest) as T;
}

const PAYMENT_ACTIONS: Readonly<Record<string, (fake: FakeApi, body: Body) => unknown>> = {
  pay: (fake, body) => fake.pay(text(body, 'token'), options<PayOptions>(body, true)),
  sendPreCheckout: (fake, body) => fake.sendPreCheckout(text(body, 'token'), options<PreCheckoutOptions>(body, true)),
  deliverSuccessfulPayment: (fake, body) => fake.deliverSuccessfulPayment(text(body, 'token'), options<SuccessfulPaymentOptions>(body, true)),
  deliverHeldPayment: (fake, body) => fake.deliverHeldPayment(text(body, 'token'), text(body, 'chargeId')),
  pushRefundedPayment: (fake, body) => fake.pushRefundedPayment(text(body, 'token'), options<RefundedPaymentOptions>(body)),
  invoices: (fake, body) => fake.invoices(text(body, 'token')),
  preCheckoutQueries: (fake, body) => fake.preCheckoutQueries(text(body, 'token')),
  starCharges: (fake, body) => fake.starCharges(text(body, 'token')),
  starTransactions: (fake, body) => fake.starTransactions(text(body, 'token')),
};

const CHAT_ACTIONS: Readonly<Record<string, (fake: FakeApi, body: Body) => unknown>> = {
  addChat: (fake, body) => fake.addChat(text(body, 'token'), options<AddChatOptions>(body)),
  setBotRights: (fake, body) =>
    fake.setBotRights(text(body, 'token'), integer(body, 'chatId'), object<BotRights>(body, 'rights'), {
      ...(body['by'] === undefined ? {} : { by: object<FakeUser>(body, 'by') }),
    }) ?? null,
  requestJoin: (fake, body) => fake.requestJoin(text(body, 'token'), options<RequestJoinOptions>(body, true)),
  setMember: (fake, body) => fake.setMember(text(body, 'token'), options<SetMemberOptions>(body, true)),
  memberStatus: (fake, body) => fake.memberStatus(text(body, 'token'), integer(body, 'chatId'), integer(body, 'userId')),
  chatEvents: (fake, body) => fake.chatEvents(text(body, 'token'), integer(body, 'chatId')),
  inviteLinks: (fake, body) => fake.inviteLinks(text(body, 'token'), integer(body, 'chatId')),
};

const ACTIONS: Readonly<Record<string, (fake: FakeApi, body: Body) => unknown>> = {
  ...PAYMENT_ACTIONS,
  ...CHAT_ACTIONS,
  addBot: (fake, body) => fake.addBot({ ...(body as unknown as AddBotOptions), token: text(body, 'token') }),
  revokeToken: (fake, body) => fake.revokeToken(text(body, 'token')),
  pushUpdate: (fake, body) => fake.pushUpdate(text(body, 'token'), object<UpdateInput>(body, 'update')),
  userSends: (fake, body) => fake.userSends(text(body, 'token'), { user: object<FakeUser>(body, 'user'), text: text(body, 'text') }),
  userPresses: (fake, body) =>
    fake.userPresses(text(body, 'token'), {
      user: object<FakeUser>(body, 'user'),
      data: text(body, 'data'),
      ...(body['messageId'] === undefined ? {} : { messageId: integer(body, 'messageId') }),
    }),
  failNext: (fake, body) => fake.failNext(body as unknown as FailNextOptions),
  setRateLimit: (fake, body) => {
    if (body['perSecond'] === undefined) return fake.setRateLimit(undefined);
    const perChat = body['perChatPerSecond'] === undefined ? {} : { perChatPerSecond: integer(body, 'perChatPerSecond') };
    return fake.setRateLimit({ perSecond: integer(body, 'perSecond'), ...perChat });
  },
  setLatency: (fake, body) => fake.setLatency(integer(body, 'ms')),
  dropNext: (fake, body) => fake.dropNext(body as DropNextOptions),
  setChaos: (fake, body) => fake.setChaos(body['rate'] === undefined ? undefined : (body as unknown as ChaosOptions)),
  chaosStats: (fake) => fake.chaosStats(),
  blockUser: (fake, body) => fake.blockUser(text(body, 'token'), integer(body, 'userId')),
  unblockUser: (fake, body) => fake.unblockUser(text(body, 'token'), integer(body, 'userId')),
  calls: (fake, body) => {
    const { method, token } = body;
    return fake.calls({ ...(typeof method === 'string' ? { method } : {}), ...(typeof token === 'string' ? { token } : {}) });
  },
  clearCalls: (fake) => fake.clearCalls(),
  pendingUpdates: (fake, body) => fake.pendingUpdates(text(body, 'token')),
  lastConfirmedOffset: (fake, body) => fake.lastConfirmedOffset(text(body, 'token')),
  getUpdatesCount: (fake, body) => fake.getUpdatesCount(text(body, 'token')),
  activePolls: (fake, body) => fake.activePolls(text(body, 'token')),
  webhook: (fake, body) => fake.webhook(text(body, 'token')) ?? null,
  sentMessages: (fake, body) => fake.sentMessages(body['chatId'] as number | string | undefined),
};

/** Handles POST /_control/<action>. */
export async function handleControlRequest(fake: FakeApi, req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
  const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!run) {
    sendJson(res, 404, { ok: false, description: `unknown control action "${action}"; known: ${Object.keys(ACTIONS).join(', ')}` });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { ok: false, description: 'control actions take POST with a JSON body' });
    return;
  }
  try {
    const raw = (await readBody(req)).toString('utf8');
    const body = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('expected a JSON object as the body');
    const result = await run(fake, body as Body);
    sendJson(res, 200, { ok: true, result: result === undefined ? true : result });
  } catch (error) {
    sendJson(res, 400, { ok: false, description: error instanceof Error ? error.message : String(error) });
  }
}
