/**
 * Payments for the JSON API: a page, newest first, and every payment for the
 * CSV export, joined with its user, read in keyset batches so that memory
 * stays bounded and no connection is held while a slow client downloads.
 */
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Payment } from '../../paywall/index.js';
import { fromDbInt } from '../values.js';
import { toPayment, type PaymentRow } from '../payment-repo.js';

/** A page of payments to read. */
export interface PaymentListQuery {
  offset: number;
  limit: number;
  userId?: number;
  status?: Payment['status'];
}

/** One line of the export: the payment and its user's names. */
export interface PaymentExportRow {
  payment: Payment;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** Rows per batch of the export. */
export const EXPORT_BATCH = 500;

function filtered(knex: Knex, query: PaymentListQuery): Knex.QueryBuilder {
  const q = knex('payments');
  if (query.userId !== undefined) q.where('user_id', query.userId);
  if (query.status !== undefined) q.where('status', query.status);
  return q;
}

/** Reads one page of payments, newest first, and how many match. */
export async function listPayments(knex: Knex, query: PaymentListQuery): Promise<{ items: Payment[]; total: number }> {
  const [{ total }] = (await filtered(knex, query).count({ total: '*' })) as [{ total: unknown }];
  const rows: PaymentRow[] = await filtered(knex, query)
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'charge_id', order: 'desc' }])
    .offset(query.offset)
    .limit(query.limit)
    .select('*');
  return { items: rows.map(toPayment), total: Number(total) };
}

type ExportRow = PaymentRow & { u_username: unknown; u_first_name: unknown; u_last_name: unknown };

async function* exportBatches(knex: Knex, batchSize: number): AsyncGenerator<PaymentExportRow> {
  let after: { createdAt: number; chargeId: string } | undefined;
  for (;;) {
    const query = knex('payments')
      .leftJoin('users', 'users.id', 'payments.user_id')
      .orderBy([{ column: 'payments.created_at' }, { column: 'payments.charge_id' }])
      .limit(batchSize)
      .select('payments.*', 'users.username as u_username', 'users.first_name as u_first_name', 'users.last_name as u_last_name');
    // Keyset pagination over (created_at, charge_id): each batch starts where the last one ended, using the created_at index.
    if (after) {
      const { createdAt, chargeId } = after;
      query.where((w) => void w.where('payments.created_at', '>', createdAt).orWhere((x) => void x.where('payments.created_at', createdAt).andWhere('payments.charge_id', '>', chargeId)));
    }
    const rows: ExportRow[] = await query;
    for (const row of rows) {
      const name = (v: unknown) => (v === null || v === undefined ? null : String(v));
      yield { payment: toPayment(row), username: name(row.u_username), firstName: name(row.u_first_name), lastName: name(row.u_last_name) };
    }
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: fromDbInt(last.created_at), chargeId: String(last.charge_id) };
  }
}

/** Every payment with its user's names, oldest first, as an object stream. */
export function streamPaymentExport(knex: Knex, batchSize = EXPORT_BATCH): Readable {
  return Readable.from(exportBatches(knex, batchSize), { objectMode: true, highWaterMark: batchSize });
}
