/**
 * The payments export as CSV: a header row, then one line per payment with
 * its user's names, streamed through csv-stringify (which quotes commas,
 * quotes and line breaks) so that memory stays bounded whatever the count.
 * Values are written as stored, without formula escaping, so that the file
 * round-trips exactly.
 */
import { Readable, Transform, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ApiPaymentExportRow } from './ports.js';
import { paymentJson } from './serializers.js';

/** The columns, in order: the payment fields, then the user's names. */
export const PAYMENT_CSV_COLUMNS = ['chargeId', 'userId', 'planId', 'amount', 'currency', 'status', 'createdAt', 'refundedAt', 'username', 'firstName', 'lastName'] as const;

/** One export row as a flat record keyed by column. */
export function paymentCsvRecord(row: ApiPaymentExportRow): Record<(typeof PAYMENT_CSV_COLUMNS)[number], string | number | null> {
  return { ...paymentJson(row.payment), username: row.username, firstName: row.firstName, lastName: row.lastName };
}

/** Turns an object stream of export rows into CSV text; `onError` hears of a failure mid-stream (the response is cut then). */
export function paymentsCsv(rows: Readable, onError: (err: Error) => void): Readable {
  const toRecord = new Transform({
    objectMode: true,
    transform(row: ApiPaymentExportRow, _encoding, done) {
      done(null, paymentCsvRecord(row));
    },
  });
  const csv = stringify({ header: true, columns: [...PAYMENT_CSV_COLUMNS], cast: { date: (d) => d.toISOString() } });
  return pipeline(rows, toRecord, csv, (err) => {
    if (err) onError(err);
  });
}
