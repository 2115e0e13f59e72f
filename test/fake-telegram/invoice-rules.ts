/**
 * The parameters of sendInvoice and createInvoiceLink, checked as the Bot API
 * documents them, with Telegram Stars (XTR) in mind: no provider token, one
 * price, no tips; other currencies need a provider token. Where Telegram's
 * server answers with an MTProto code (STARS_INVOICE_INVALID,
 * INVOICE_PAYLOAD_INVALID, PAYMENT_PROVIDER_INVALID, SUBSCRIPTION_PERIOD_INVALID)
 * the fake uses it; the other wordings are the fake's own, kept in one table.
 */
import type { LabeledPrice } from 'grammy/types';
import { badRequest } from './api-error.js';
import { hasParam, intParam, jsonParam, stringParam } from './params.js';
import type { Params } from './read-params.js';

/** Telegram Stars. */
export const STARS = 'XTR';
/** The only subscription period Telegram accepts: 30 days. */
export const SUBSCRIPTION_PERIOD_SECONDS = 2_592_000;

/** The descriptions (after "Bad Request: ") of every refusal, by rule. */
export const INVOICE_ERRORS = {
  titleLength: 'invoice title must be 1-32 characters long',
  descriptionLength: 'invoice description must be 1-255 characters long',
  payload: 'INVOICE_PAYLOAD_INVALID',
  currencyMissing: 'parameter "currency" is required',
  pricesMissing: 'parameter "prices" is required',
  pricesNotArray: 'expected an Array of labeled prices',
  pricesEmpty: 'there must be at least one price',
  priceInvalid: "can't parse labeled price: ",
  totalNotPositive: 'total price must be positive',
  starsInvoice: 'STARS_INVOICE_INVALID',
  providerMissing: 'PAYMENT_PROVIDER_INVALID',
  subscriptionNotHere: 'subscription_period is supported only by createInvoiceLink',
  subscriptionCurrency: 'subscription_period can be used only with currency "XTR"',
  subscriptionPeriod: 'SUBSCRIPTION_PERIOD_INVALID',
} as const;

/** A checked invoice. */
export interface InvoiceFields {
  title: string;
  description: string;
  payload: string;
  currency: string;
  prices: LabeledPrice[];
  totalAmount: number;
  startParameter: string;
  subscriptionPeriod: number | undefined;
}

function textOfLength(params: Params, name: string, max: number, error: string): string {
  const value = stringParam(params, name) ?? '';
  const length = [...value].length;
  if (length < 1 || length > max) throw badRequest(error);
  return value;
}

/** prices: a JSON array of { label, amount } with integer amounts, worded as the Bot API server does. */
function readPrices(params: Params): LabeledPrice[] {
  if (!hasParam(params, 'prices')) throw badRequest(INVOICE_ERRORS.pricesMissing);
  const raw = jsonParam(params, 'prices');
  if (!Array.isArray(raw)) throw badRequest(INVOICE_ERRORS.pricesNotArray);
  if (raw.length === 0) throw badRequest(INVOICE_ERRORS.pricesEmpty);
  return raw.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw badRequest(`${INVOICE_ERRORS.priceInvalid}LabeledPrice must be an Object`);
    const { label, amount } = entry as Record<string, unknown>;
    if (typeof label !== 'string' || label === '') throw badRequest(`${INVOICE_ERRORS.priceInvalid}LabeledPrice label must be non-empty`);
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) throw badRequest(`${INVOICE_ERRORS.priceInvalid}Field "amount" must be a valid Number`);
    return { label, amount };
  });
}

/** Stars invoices: no provider token, exactly one price, no tips. */
function checkStars(params: Params, prices: LabeledPrice[]): void {
  if ((stringParam(params, 'provider_token') ?? '') !== '') throw badRequest(INVOICE_ERRORS.starsInvoice);
  if (prices.length !== 1) throw badRequest(INVOICE_ERRORS.starsInvoice);
  const tips = jsonParam(params, 'suggested_tip_amounts');
  if ((intParam(params, 'max_tip_amount') ?? 0) !== 0 || (Array.isArray(tips) && tips.length > 0)) {
    throw badRequest(INVOICE_ERRORS.starsInvoice);
  }
}

function readSubscriptionPeriod(params: Params, method: string, currency: string): number | undefined {
  if (!hasParam(params, 'subscription_period')) return undefined;
  if (method !== 'createInvoiceLink') throw badRequest(INVOICE_ERRORS.subscriptionNotHere);
  if (currency !== STARS) throw badRequest(INVOICE_ERRORS.subscriptionCurrency);
  let period: number | undefined;
  try {
    period = intParam(params, 'subscription_period');
  } catch {
    throw badRequest(INVOICE_ERRORS.subscriptionPeriod);
  }
  if (period !== SUBSCRIPTION_PERIOD_SECONDS) throw badRequest(INVOICE_ERRORS.subscriptionPeriod);
  return period;
}

/**
 * Reads and checks an invoice. `method` tells sendInvoice from
 * createInvoiceLink: only the latter takes subscription_period.
 */
export function readInvoice(params: Params, method: string): InvoiceFields {
  const title = textOfLength(params, 'title', 32, INVOICE_ERRORS.titleLength);
  const description = textOfLength(params, 'description', 255, INVOICE_ERRORS.descriptionLength);
  const payload = stringParam(params, 'payload') ?? '';
  const payloadBytes = Buffer.byteLength(payload, 'utf8');
  if (payloadBytes < 1 || payloadBytes > 128) throw badRequest(INVOICE_ERRORS.payload);
  const currency = stringParam(params, 'currency') ?? '';
  if (currency === '') throw badRequest(INVOICE_ERRORS.currencyMissing);
  const prices = readPrices(params);
  if (currency === STARS) checkStars(params, prices);
  else if ((stringParam(params, 'provider_token') ?? '') === '') throw badRequest(INVOICE_ERRORS.providerMissing);
  const totalAmount = prices.reduce((sum, price) => sum + price.amount, 0);
  // Discounts may be negative parts; only the total must be positive (a Stars invoice has one part).
  if (totalAmount <= 0) throw badRequest(INVOICE_ERRORS.totalNotPositive);
  const subscriptionPeriod = readSubscriptionPeriod(params, method, currency);
  const startParameter = stringParam(params, 'start_parameter') ?? '';
  return { title, description, payload, currency, prices, totalAmount, startParameter, subscriptionPeriod };
}
