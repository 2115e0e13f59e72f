/**
 * The public types of the fake's Telegram Stars payments: invoices as the
 * bot created them, the pay flow a test drives (pre-checkout query, answer,
 * charge, successful_payment), and the per-bot ledger of charges.
 */
import type { LabeledPrice, StarTransaction, User } from 'grammy/types';
import type { FakeUser } from './types.js';

/** Which invoice a user pays: by payload, by link, by the invoice message, or the latest one. */
export type InvoiceRef = 'last' | { payload: string } | { link: string } | { messageId: number; chatId: number };

/** The pre-checkout fields a test may falsify (a wrong amount, currency or an unknown payload). */
export type PreCheckoutOverride = Partial<{ currency: string; total_amount: number; invoice_payload: string }>;

/** fake.pay: a user pays an invoice the bot created. */
export interface PayOptions {
  user: FakeUser;
  invoice: InvoiceRef;
  /** How long the bot has to call answerPreCheckoutQuery; Telegram's limit is 10 s (the default). */
  answerTimeoutMs?: number;
  /** false holds the successful_payment update back (the charge is in the ledger): a crash test. */
  deliverPayment?: boolean;
  /** Flags of the successful_payment; by default set for a subscription invoice's first payment. */
  isRecurring?: boolean;
  isFirstRecurring?: boolean;
  /** Defaults to the payment date plus the invoice's subscription_period, for subscriptions. */
  subscriptionExpirationDate?: number;
  overrideQuery?: PreCheckoutOverride;
}

/** How a pay attempt ended. */
export type PayOutcome = 'paid' | 'declined' | 'timeout';

/** What fake.pay resolves with. */
export interface PayResult {
  outcome: PayOutcome;
  preCheckoutQueryId: string;
  /** The bot's error_message when it declined. */
  errorMessage?: string;
  /** telegram_payment_charge_id, when paid. */
  chargeId?: string;
  /** update_id of the successful_payment message, unless it was held back. */
  paymentUpdateId?: number;
  /** Milliseconds between the pre_checkout_query update and its answer (fake clock). */
  answerMs?: number;
}

/** fake.sendPreCheckout: a raw pre_checkout_query with any fields. */
export interface PreCheckoutOptions {
  user: FakeUser;
  currency: string;
  total_amount: number;
  invoice_payload: string;
  answerTimeoutMs?: number;
}

/** How the bot answered a pre-checkout query, if it did in time. */
export interface PreCheckoutAnswer {
  queryId: string;
  updateId: number;
  ok: boolean;
  timedOut: boolean;
  errorMessage?: string;
  answerMs?: number;
}

/** fake.deliverSuccessfulPayment: a successful_payment message pushed directly. */
export interface SuccessfulPaymentOptions {
  user: FakeUser;
  /** A charge already in the ledger is delivered again (a duplicate); a new one is recorded. */
  chargeId?: string;
  /** Required unless chargeId names a known charge. */
  payload?: string;
  amount?: number;
  /** Defaults to XTR. */
  currency?: string;
  subscriptionPeriod?: number;
  subscriptionExpirationDate?: number;
  isRecurring?: boolean;
  isFirstRecurring?: boolean;
}

/** What deliverSuccessfulPayment pushed. */
export interface DeliveredPayment {
  updateId: number;
  chargeId: string;
}

/** fake.pushRefundedPayment: Telegram tells the bot a payment was refunded. */
export interface RefundedPaymentOptions {
  chargeId: string;
  /** Defaults to the payer in the ledger. */
  user?: FakeUser;
}

/** An invoice the bot created with sendInvoice or createInvoiceLink. */
export interface InvoiceRecord {
  via: 'sendInvoice' | 'createInvoiceLink';
  title: string;
  description: string;
  payload: string;
  currency: string;
  totalAmount: number;
  prices: LabeledPrice[];
  startParameter: string;
  chatId?: number;
  messageId?: number;
  link?: string;
  subscriptionPeriod?: number;
  /** Unix time. */
  date: number;
}

/** One pre-checkout query the fake sent, and its answer. */
export interface PreCheckoutRecord {
  id: string;
  userId: number;
  currency: string;
  totalAmount: number;
  invoicePayload: string;
  /** ms on the fake clock. */
  sentAt: number;
  answeredAt?: number;
  ok?: boolean;
  errorMessage?: string;
  /** Not answered within its timeout: answering now is a 400. */
  expired: boolean;
}

/** One charge in the bot's ledger. */
export interface StarCharge {
  chargeId: string;
  user: User;
  currency: string;
  amount: number;
  payload: string;
  /** Unix time. */
  date: number;
  subscriptionPeriod?: number;
  subscriptionExpirationDate?: number;
  isRecurring?: boolean;
  isFirstRecurring?: boolean;
  /** How many successful_payment updates were pushed for it (0 while held back). */
  deliveries: number;
  /** Its successful_payment is held back, waiting for deliverHeldPayment. */
  held: boolean;
  refunded: boolean;
  refundDate?: number;
  /** Set by editUserStarSubscription. */
  subscriptionCanceled?: boolean;
}

/** The payment side of the fake. */
export interface FakePayments {
  /** A user pays an invoice: pre_checkout_query, the bot's answer, then the charge and successful_payment. */
  pay(token: string, options: PayOptions): Promise<PayResult>;
  /** Pushes a pre_checkout_query with exactly these fields and waits for the answer. */
  sendPreCheckout(token: string, options: PreCheckoutOptions): Promise<PreCheckoutAnswer>;
  /** Pushes a successful_payment message (a duplicate, a renewal…). */
  deliverSuccessfulPayment(token: string, options: SuccessfulPaymentOptions): DeliveredPayment;
  /** Pushes the successful_payment that pay({ deliverPayment: false }) held back; returns its update_id. */
  deliverHeldPayment(token: string, chargeId: string): number;
  /** Pushes a refunded_payment message and marks the charge refunded; returns its update_id. */
  pushRefundedPayment(token: string, options: RefundedPaymentOptions): number;
  /** Every invoice the bot created, oldest first. */
  invoices(token: string): InvoiceRecord[];
  /** Every pre-checkout query sent to the bot, with its answer and when it came. */
  preCheckoutQueries(token: string): PreCheckoutRecord[];
  /** The ledger, oldest first. */
  starCharges(token: string): StarCharge[];
  /** What getStarTransactions would list, all of it, oldest first. */
  starTransactions(token: string): StarTransaction[];
}
