/** Small helpers the repositories share for writing rows and reading them back. */
import { fromDbInt } from './values.js';

/** The id of the first row an `insert … returning('id')` gave back (an object on both databases, a bare value on old drivers). */
export function returnedId(rows: readonly unknown[]): number {
  const first = rows[0];
  if (first === undefined) throw new Error('The insert returned no row.');
  return fromDbInt(typeof first === 'object' && first !== null ? (first as { id: unknown }).id : first);
}

/** A nullable text column. */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** An object as stored in a JSON text column. */
export function toJsonText(value: Record<string, unknown>): string {
  return JSON.stringify(value);
}

/** A JSON text column back as an object (null stays null). */
export function fromJsonText(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown = JSON.parse(String(value));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Expected a JSON object in the database, got ${String(value).slice(0, 80)}.`);
  return parsed as Record<string, unknown>;
}

