/**
 * The bot's Star transactions as getStarTransactions describes them: each
 * Stars payment comes in from the user (source, transaction_type
 * "invoice_payment"); a refund goes out to the user (receiver) under the same
 * id as the payment it refunds. Oldest first, as the Bot API documents.
 */
import type { StarTransaction, TransactionPartnerUser } from 'grammy/types';
import { STARS } from './invoice-rules.js';
import type { StarCharge } from './payment-types.js';
import type { PaymentStore } from './payment-store.js';

function partner(charge: StarCharge, withPeriod: boolean): TransactionPartnerUser {
  const user: TransactionPartnerUser = {
    type: 'user',
    transaction_type: 'invoice_payment',
    user: { ...charge.user },
    invoice_payload: charge.payload,
  };
  if (withPeriod && charge.subscriptionPeriod !== undefined) user.subscription_period = charge.subscriptionPeriod;
  return user;
}

/** Every Star transaction of the bot, oldest first (charges in other currencies are not Stars). */
export function listStarTransactions(store: PaymentStore): StarTransaction[] {
  const transactions: StarTransaction[] = [];
  for (const entry of store.ledger) {
    const charge = store.charges.get(entry.chargeId);
    if (!charge || charge.currency !== STARS) continue;
    const base = { id: charge.chargeId, amount: charge.amount, date: entry.date };
    transactions.push(entry.kind === 'payment' ? { ...base, source: partner(charge, true) } : { ...base, receiver: partner(charge, false) });
  }
  return transactions;
}
