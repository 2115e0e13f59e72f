/**
 * Column conventions shared by every table and store, so that both databases
 * behave the same:
 *
 * - Times are stored as BIGINT milliseconds since the Unix epoch (UTC by
 *   definition) on PostgreSQL and SQLite alike. The application always supplies
 *   them (no database defaults), comparisons and arithmetic are plain integer
 *   SQL on both (a UTC day is `created_at / 86400000`), and a value reads back
 *   as exactly the instant that was written, to the millisecond. In psql,
 *   `to_timestamp(created_at / 1000.0)` shows one as a date.
 * - Telegram ids are BIGINT. PostgreSQL's BIGINT (and COUNT/SUM results) are
 *   parsed into JS numbers by the connection's type parser (see create-db.ts);
 *   Telegram ids and epoch milliseconds fit in 2^53.
 * - Booleans are BOOLEAN on PostgreSQL and 0/1 on SQLite: read them through
 *   `fromDbBool`.
 * - Money is an INTEGER number of Stars.
 */

/** A Date as stored: epoch milliseconds. */
export function toDbTime(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Cannot store an invalid Date.');
  return ms;
}

/** Like toDbTime, passing null and undefined through as null. */
export function toDbTimeOrNull(date: Date | null | undefined): number | null {
  return date ? toDbTime(date) : null;
}

/** A stored time back as a Date. */
export function fromDbTime(value: unknown): Date {
  return new Date(fromDbInt(value));
}

/** A nullable stored time back as a Date or null. */
export function fromDbTimeOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : fromDbTime(value);
}

/** A stored boolean (true/false on PostgreSQL, 1/0 on SQLite). */
export function fromDbBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

/** A stored integer; tolerates PostgreSQL's string form of BIGINT and NUMERIC. */
export function fromDbInt(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number(String(value));
  if (!Number.isSafeInteger(n)) throw new RangeError(`Expected an integer from the database, got ${String(value)}.`);
  return n;
}

/** A nullable stored integer. */
export function fromDbIntOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : fromDbInt(value);
}
