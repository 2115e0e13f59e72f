/**
 * The payment controls of a fake (FakePayments): a user paying an invoice the
 * way Telegram runs it (pre_checkout_query, the bot's answer within the
 * timeout, then the charge and its successful_payment), and the pieces a test
 * needs to misbehave on Telegram's side: tampered or raw pre-checkout queries,
 * duplicate or renewal payments, held-back updates and refunds.
 */
import type { BotState } from './bot-state.js';
import type {
  DeliveredPayment, FakePayments, InvoiceRecord, InvoiceRef, PayOptions, PayResult, RefundedPaymentOptions, SuccessfulPaymentOptions,
} from './payment-types.js';
import { pushRefunded, pushSuccessfulPayment } from './payment-delivery.js';
import { copyCharge, findCharge, newChargeId, paymentStore, recordCharge, refundCharge, type NewCharge, type PaymentStore } from './payment-store.js';
import { listPreCheckoutQueries, runPreCheckout } from './pre-checkout.js';
import { rememberUser, requireBot, unixTime, type FakeState } from './state.js';
import { STARS } from './invoice-rules.js';
import { listStarTransactions } from './star-transactions.js';
import { userObject } from './user-actions.js';

function findInvoice(store: PaymentStore, ref: InvoiceRef): InvoiceRecord {
  const all = store.invoices;
  const found = ref === 'last' ? all.at(-1)
    : 'payload' in ref ? all.findLast((invoice) => invoice.payload === ref.payload)
    : 'link' in ref ? all.find((invoice) => invoice.link === ref.link)
    : all.find((invoice) => invoice.chatId === ref.chatId && invoice.messageId === ref.messageId);
  if (!found) {
    throw new Error(`fake-telegram: no invoice matches ${JSON.stringify(ref)}; the bot must call sendInvoice or createInvoiceLink first`);
  }
  return found;
}

/** The subscription fields of a first payment: expiring one period after the payment. */
function subscriptionFields(period: number | undefined, date: number, options: PayOptions | SuccessfulPaymentOptions): Partial<NewCharge> {
  const fields: Partial<NewCharge> = {};
  if (period !== undefined) fields.subscriptionPeriod = period;
  const expiration = options.subscriptionExpirationDate ?? (period === undefined ? undefined : date + period);
  if (expiration !== undefined) fields.subscriptionExpirationDate = expiration;
  const recurring = options.isRecurring ?? (period !== undefined && 'invoice' in options);
  if (recurring) fields.isRecurring = true;
  const first = options.isFirstRecurring ?? (period !== undefined && 'invoice' in options);
  if (first) fields.isFirstRecurring = true;
  return fields;
}

async function pay(state: FakeState, bot: BotState, options: PayOptions): Promise<PayResult> {
  const store = paymentStore(bot);
  const invoice = findInvoice(store, options.invoice);
  const query = {
    currency: invoice.currency,
    total_amount: invoice.totalAmount,
    invoice_payload: invoice.payload,
    ...options.overrideQuery,
  };
  const answer = await runPreCheckout(state, bot, options.user, query, options.answerTimeoutMs);
  const base = { preCheckoutQueryId: answer.queryId, ...(answer.answerMs === undefined ? {} : { answerMs: answer.answerMs }) };
  if (answer.timedOut) return { outcome: 'timeout', ...base };
  if (!answer.ok) return { outcome: 'declined', ...base, ...(answer.errorMessage === undefined ? {} : { errorMessage: answer.errorMessage }) };

  // Telegram charges what the query said, so a tampered query the bot accepted is charged as tampered.
  const date = unixTime(state);
  const charge = recordCharge(store, {
    chargeId: newChargeId(),
    user: userObject(options.user),
    currency: query.currency,
    amount: query.total_amount,
    payload: query.invoice_payload,
    date,
    ...subscriptionFields(invoice.subscriptionPeriod, date, options),
  });
  if (options.deliverPayment === false) {
    charge.held = true;
    return { outcome: 'paid', ...base, chargeId: charge.chargeId };
  }
  const paymentUpdateId = pushSuccessfulPayment(state, bot, charge, options.user);
  return { outcome: 'paid', ...base, chargeId: charge.chargeId, paymentUpdateId };
}

function deliverSuccessfulPayment(state: FakeState, bot: BotState, options: SuccessfulPaymentOptions): DeliveredPayment {
  rememberUser(state, options.user);
  const store = paymentStore(bot);
  const known = findCharge(store, options.chargeId);
  if (known) {
    const { payload, amount, currency, subscriptionExpirationDate, isRecurring, isFirstRecurring } = options;
    const overrides = { payload, amount, currency, subscriptionExpirationDate, isRecurring, isFirstRecurring };
    return { updateId: pushSuccessfulPayment(state, bot, known, options.user, overrides), chargeId: known.chargeId };
  }
  if (options.payload === undefined || options.amount === undefined) {
    throw new Error('fake-telegram: deliverSuccessfulPayment needs payload and amount unless chargeId names a charge in the ledger');
  }
  const date = unixTime(state);
  const charge = recordCharge(store, {
    chargeId: options.chargeId ?? newChargeId(),
    user: userObject(options.user),
    currency: options.currency ?? STARS,
    amount: options.amount,
    payload: options.payload,
    date,
    ...subscriptionFields(options.subscriptionPeriod, date, options),
  });
  return { updateId: pushSuccessfulPayment(state, bot, charge, options.user), chargeId: charge.chargeId };
}

function deliverHeldPayment(state: FakeState, bot: BotState, chargeId: string): number {
  const charge = findCharge(paymentStore(bot), chargeId);
  if (!charge?.held) throw new Error(`fake-telegram: no held-back payment has charge id ${chargeId}`);
  return pushSuccessfulPayment(state, bot, charge, charge.user);
}

function pushRefundedPayment(state: FakeState, bot: BotState, options: RefundedPaymentOptions): number {
  const store = paymentStore(bot);
  const charge = findCharge(store, options.chargeId);
  if (!charge) throw new Error(`fake-telegram: no charge has id ${options.chargeId}`);
  if (!charge.refunded) refundCharge(store, charge, unixTime(state));
  return pushRefunded(state, bot, charge, options.user ?? charge.user);
}

/** Builds the payment controls over the fake's state. */
export function createPaymentActions(state: FakeState): FakePayments {
  const bot = (token: string) => requireBot(state, token);
  return {
    pay: async (token, options) => pay(state, bot(token), options),
    sendPreCheckout: async (token, { user, answerTimeoutMs, currency, total_amount, invoice_payload }) =>
      runPreCheckout(state, bot(token), user, { currency, total_amount, invoice_payload }, answerTimeoutMs),
    deliverSuccessfulPayment: (token, options) => deliverSuccessfulPayment(state, bot(token), options),
    deliverHeldPayment: (token, chargeId) => deliverHeldPayment(state, bot(token), chargeId),
    pushRefundedPayment: (token, options) => pushRefundedPayment(state, bot(token), options),
    invoices: (token) => paymentStore(bot(token)).invoices.map((invoice) => ({ ...invoice, prices: invoice.prices.map((p) => ({ ...p })) })),
    preCheckoutQueries: (token) => listPreCheckoutQueries(bot(token)),
    starCharges: (token) => [...paymentStore(bot(token)).charges.values()].map(copyCharge),
    starTransactions: (token) => listStarTransactions(paymentStore(bot(token))),
  };
}
