/** The OrderRepo port over the `orders` table. */
import type { Knex } from 'knex';
import type { Order, OrderRepo } from '../paywall/index.js';
import { fromDbInt, fromDbTime, fromDbTimeOrNull, toDbTime } from './values.js';

type OrderRow = Record<'id' | 'payload' | 'user_id' | 'plan_id' | 'amount' | 'currency' | 'status' | 'created_at' | 'paid_at', unknown>;

function toOrder(row: OrderRow): Order {
  return {
    id: fromDbInt(row.id),
    payload: String(row.payload),
    userId: fromDbInt(row.user_id),
    planId: fromDbInt(row.plan_id),
    amount: fromDbInt(row.amount),
    currency: String(row.currency),
    status: String(row.status) as Order['status'],
    createdAt: fromDbTime(row.created_at),
    paidAt: fromDbTimeOrNull(row.paid_at),
  };
}

/** Builds the OrderRepo. `knex` may be a transaction. */
export function createOrderRepo(knex: Knex): OrderRepo {
  return {
    async create(order) {
      const rows: OrderRow[] = await knex('orders')
        .insert({
          payload: order.payload,
          user_id: order.userId,
          plan_id: order.planId,
          amount: order.amount,
          currency: order.currency,
          status: 'pending',
          created_at: toDbTime(order.createdAt),
        })
        .returning('*');
      if (!rows[0]) throw new Error('The order insert returned no row.');
      return toOrder(rows[0]);
    },
    async byPayload(payload) {
      const row: OrderRow | undefined = await knex('orders').where({ payload }).first();
      return row ? toOrder(row) : undefined;
    },
    async markPaid(id, at) {
      // Conditional on the status, so that of two concurrent payments of one order only one wins.
      const changed = await knex('orders').where({ id, status: 'pending' }).update({ status: 'paid', paid_at: toDbTime(at) });
      return changed === 1;
    },
  };
}
