/**
 * Rows or ids in slices small enough for one statement: SQLite binds at most
 * 32,766 variables per statement, and a huge statement holds the one
 * connection for long.
 */

/** `items` in consecutive slices of at most `size` (none for an empty list). */
export function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
