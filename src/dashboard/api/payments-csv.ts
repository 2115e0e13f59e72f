/**
 * The payments export as CSV: a header row, then one line per payment with
 * its user's names, streamed through csv-stringify (which quotes commas,
 * quotes and line breaks) so that memory stays bounded whatever the count.
 *
 * Formula injection: names come from Telegram users, so a first name such as
 * `=HYPERLINK(…)` must not run when the admin opens the file in a
 * spreadsheet. A text value that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return (OWASP's list), or with an apostrophe, is written with one
 * more leading apostrophe; stripping one leading apostrophe from a text value
 * gives it back exactly. Numbers and times are written as they are.
 */
import { Readable, Transform, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ApiPaymentExportRow } from './ports.js';
import { paymentJson } from './serializers.js';

/** The columns, in order: the payment fields, then the user's names. */
export const PAYMENT_CSV_COLUMNS = ['chargeId', 'userId', 'planId', 'amount', 'currency', 'status', 'createdAt', 'refundedAt', 'username', 'firstName', 'lastName'] as const;

const FORMULA_START = /^[=+\-@\t\r']/;

/** A text value made safe to open in a spreadsheet: a leading apostrophe before a formula trigger (or an apostrophe); null stays null. */
export function csvText(value: string | null): string | null {
  return value !== null && FORMULA_START.test(value) ? `'${value}` : value;
}

/** One export row as a flat record keyed by column, its text values escaped by csvText. */
export function paymentCsvRecord(row: ApiPaymentExportRow): Record<(typeof PAYMENT_CSV_COLUMNS)[number], string | number | null> {
  const payment = paymentJson(row.payment);
  return {
    ...payment,
    chargeId: csvText(payment.chargeId),
    currency: csvText(payment.currency),
    username: csvText(row.username),
    firstName: csvText(row.firstName),
    lastName: csvText(row.lastName),
  };
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
