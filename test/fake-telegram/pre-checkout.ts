/**
 * Pre-checkout queries: the fake pushes a pre_checkout_query update and waits
 * for answerPreCheckoutQuery with its id, as Telegram does before it charges
 * the user. An answer must come within the timeout (Telegram's is 10 s);
 * after it, or after a first answer, the id is "too old" (400).
 */
import { badRequest } from './api-error.js';
import type { BotState } from './bot-state.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { boolParam, stringParam } from './params.js';
import type { FakeUser } from './types.js';
import type { PreCheckoutAnswer, PreCheckoutRecord } from './payment-types.js';
import { newQueryId, paymentStore, type QueryState } from './payment-store.js';
import { rememberUser, type FakeState } from './state.js';
import { pushUpdate, userObject } from './user-actions.js';
import type { UpdateInput } from './types.js';

/** Telegram's limit for answering a pre-checkout query. */
export const PRE_CHECKOUT_TIMEOUT_MS = 10_000;
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';

/** The fields of a pre_checkout_query, as the bot will read them. */
export interface PreCheckoutFields {
  currency: string;
  total_amount: number;
  invoice_payload: string;
}

function checkTimeout(value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`fake-telegram: answerTimeoutMs must be a number ≥ 0, got ${String(value)}`);
  return value;
}

/** Resolves when the query is answered (true) or times out (false); rejects when the fake closes. */
function waitForAnswer(state: FakeState, query: QueryState, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const signal = state.shutdown.signal;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onClose);
      query.onAnswer = undefined;
      settle();
    };
    const onClose = () => finish(() => reject(new Error('fake-telegram: the server closed while waiting for answerPreCheckoutQuery')));
    const timer = setTimeout(() => {
      query.record.expired = true;
      finish(() => resolve(false));
    }, timeoutMs);
    query.onAnswer = () => finish(() => resolve(true));
    signal.addEventListener('abort', onClose);
    if (signal.aborted) onClose();
  });
}

/** Pushes a pre_checkout_query from the user and waits for the bot's answer. */
export async function runPreCheckout(
  state: FakeState, bot: BotState, user: FakeUser, fields: PreCheckoutFields, timeoutMs = PRE_CHECKOUT_TIMEOUT_MS,
): Promise<PreCheckoutAnswer> {
  checkTimeout(timeoutMs);
  rememberUser(state, user);
  const record: PreCheckoutRecord = {
    id: newQueryId(),
    userId: user.id,
    currency: fields.currency,
    totalAmount: fields.total_amount,
    invoicePayload: fields.invoice_payload,
    sentAt: state.now(),
    expired: false,
  };
  const query: QueryState = { record, onAnswer: undefined };
  paymentStore(bot).queries.set(record.id, query);
  const answered = waitForAnswer(state, query, timeoutMs);
  const preCheckoutQuery = { id: record.id, from: userObject(user), ...fields };
  const updateId = pushUpdate(bot, { pre_checkout_query: preCheckoutQuery } as UpdateInput);
  if (!(await answered)) return { queryId: record.id, updateId, ok: false, timedOut: true };
  const answer: PreCheckoutAnswer = { queryId: record.id, updateId, ok: record.ok === true, timedOut: false };
  if (record.errorMessage !== undefined) answer.errorMessage = record.errorMessage;
  if (record.answeredAt !== undefined) answer.answerMs = record.answeredAt - record.sentAt;
  return answer;
}

/** A copy of every query sent to the bot, oldest first. */
export function listPreCheckoutQueries(bot: BotState): PreCheckoutRecord[] {
  return [...paymentStore(bot).queries.values()].map((query) => ({ ...query.record }));
}

function answerPreCheckoutQuery({ bot, params, fake }: MethodContext): true {
  const id = stringParam(params, 'pre_checkout_query_id') ?? '';
  const ok = boolParam(params, 'ok');
  const errorMessage = stringParam(params, 'error_message') ?? '';
  // The Bot API server reads error_message before it looks the query up.
  if (!ok && errorMessage === '') throw badRequest('parameter "error_message" is required');
  const query = paymentStore(bot).queries.get(id);
  if (!query || query.record.expired || query.record.answeredAt !== undefined) throw badRequest(QUERY_INVALID);
  query.record.answeredAt = fake.now();
  query.record.ok = ok;
  if (!ok) query.record.errorMessage = errorMessage;
  query.onAnswer?.();
  return true;
}

/** answerPreCheckoutQuery. */
export const PRE_CHECKOUT_METHODS: MethodTable = { answerPreCheckoutQuery };
