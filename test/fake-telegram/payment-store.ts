/**
 * One bot's payment data, kept in its `payments` slot: the invoices it
 * created, the pre-checkout queries sent to it, and its ledger of charges
 * with the chronological list of Star transactions (payments and refunds).
 */
import { randomBytes } from 'node:crypto';
import type { User } from 'grammy/types';
import { botSlot, type BotState } from './bot-state.js';
import type { InvoiceRecord, PreCheckoutRecord, StarCharge } from './payment-types.js';

/** A pre-checkout query and whoever waits for its answer. */
export interface QueryState {
  record: PreCheckoutRecord;
  /** Called once, when the bot answers. */
  onAnswer: (() => void) | undefined;
}

/** A Star transaction as the ledger keeps it: a charge coming in or its refund going out. */
export interface LedgerEntry {
  kind: 'payment' | 'refund';
  chargeId: string;
  date: number;
}

/** The payment data of one bot. */
export interface PaymentStore {
  readonly invoices: InvoiceRecord[];
  readonly queries: Map<string, QueryState>;
  /** Charges by telegram_payment_charge_id, in the order they were made. */
  readonly charges: Map<string, StarCharge>;
  readonly ledger: LedgerEntry[];
}

/** The bot's payment data, created on first use. */
export function paymentStore(bot: BotState): PaymentStore {
  return botSlot(bot, 'payments', () => ({ invoices: [], queries: new Map(), charges: new Map(), ledger: [] }));
}

/** A telegram_payment_charge_id in Telegram's style: "stx" and a long random tail. */
export function newChargeId(): string {
  return `stx${randomBytes(30).toString('base64url')}`;
}

/** A query id in Telegram's style: a long decimal string. */
export function newQueryId(): string {
  return BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
}

/** What a new charge needs; the rest starts empty. */
export type NewCharge = Omit<StarCharge, 'deliveries' | 'held' | 'refunded' | 'refundDate' | 'subscriptionCanceled'>;

/** Records a charge and its incoming transaction. */
export function recordCharge(store: PaymentStore, charge: NewCharge): StarCharge {
  if (store.charges.has(charge.chargeId)) throw new Error(`fake-telegram: charge ${charge.chargeId} is already in the ledger`);
  const full: StarCharge = { ...charge, deliveries: 0, held: false, refunded: false };
  store.charges.set(full.chargeId, full);
  store.ledger.push({ kind: 'payment', chargeId: full.chargeId, date: full.date });
  return full;
}

/** Marks a charge refunded and records the outgoing transaction. */
export function refundCharge(store: PaymentStore, charge: StarCharge, date: number): void {
  charge.refunded = true;
  charge.refundDate = date;
  store.ledger.push({ kind: 'refund', chargeId: charge.chargeId, date });
}

/** The charge with that id paid by that user (any user when userId is undefined). */
export function findCharge(store: PaymentStore, chargeId: string | undefined, userId?: number): StarCharge | undefined {
  const charge = chargeId === undefined ? undefined : store.charges.get(chargeId);
  return charge && (userId === undefined || charge.user.id === userId) ? charge : undefined;
}

/** A copy for tests, so that they cannot change the ledger by accident. */
export function copyCharge(charge: StarCharge): StarCharge {
  return { ...charge, user: { ...charge.user } as User };
}
