/** The PaymentRepo port over the `payments` table, unique by Telegram's charge id. */
import type { Knex } from 'knex';
import type { Payment, PaymentRepo } from '../paywall/index.js';
import { textOrNull } from './repo-rows.js';
import { fromDbBool, fromDbInt, fromDbIntOrNull, fromDbTime, fromDbTimeOrNull, toDbTime, toDbTimeOrNull } from './values.js';

/** A `payments` row. */
export type PaymentRow = Record<
  | 'charge_id' | 'provider_charge_id' | 'user_id' | 'plan_id' | 'order_id' | 'subscription_id' | 'duration_seconds' | 'amount'
  | 'currency' | 'is_recurring' | 'subscription_expires_at' | 'status' | 'source' | 'created_at' | 'refunded_at',
  unknown
>;

/** A stored payment. */
export function toPayment(row: PaymentRow): Payment {
  return {
    chargeId: String(row.charge_id),
    providerChargeId: textOrNull(row.provider_charge_id),
    userId: fromDbInt(row.user_id),
    planId: fromDbIntOrNull(row.plan_id),
    orderId: fromDbIntOrNull(row.order_id),
    subscriptionId: fromDbIntOrNull(row.subscription_id),
    durationSeconds: fromDbIntOrNull(row.duration_seconds),
    amount: fromDbInt(row.amount),
    currency: String(row.currency),
    isRecurring: fromDbBool(row.is_recurring),
    subscriptionExpiresAt: fromDbTimeOrNull(row.subscription_expires_at),
    status: String(row.status) as Payment['status'],
    source: String(row.source) as Payment['source'],
    createdAt: fromDbTime(row.created_at),
    refundedAt: fromDbTimeOrNull(row.refunded_at),
  };
}

/** Builds the PaymentRepo. `knex` may be a transaction. */
export function createPaymentRepo(knex: Knex): PaymentRepo {
  return {
    async insert(payment) {
      // ON CONFLICT DO NOTHING rather than catching the violation: an error would abort a PostgreSQL transaction.
      // A concurrent insert of the same charge waits for the first to commit, then inserts nothing: exactly one wins.
      const inserted = await knex('payments')
        .insert({
          charge_id: payment.chargeId,
          provider_charge_id: payment.providerChargeId,
          user_id: payment.userId,
          plan_id: payment.planId,
          order_id: payment.orderId,
          subscription_id: payment.subscriptionId,
          duration_seconds: payment.durationSeconds,
          amount: payment.amount,
          currency: payment.currency,
          is_recurring: payment.isRecurring,
          subscription_expires_at: toDbTimeOrNull(payment.subscriptionExpiresAt),
          status: 'paid',
          source: payment.source,
          created_at: toDbTime(payment.createdAt),
          refunded_at: null,
        })
        .onConflict('charge_id')
        .ignore()
        .returning('charge_id');
      return inserted.length === 1;
    },
    async get(chargeId) {
      const row: PaymentRow | undefined = await knex('payments').where({ charge_id: chargeId }).first();
      return row ? toPayment(row) : undefined;
    },
    async forUser(userId) {
      const rows: PaymentRow[] = await knex('payments').where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'charge_id', order: 'desc' }]);
      return rows.map(toPayment);
    },
    async markRefunded(chargeId, at) {
      const changed = await knex('payments').where({ charge_id: chargeId, status: 'paid' }).update({ status: 'refunded', refunded_at: toDbTime(at) });
      return changed === 1;
    },
  };
}
