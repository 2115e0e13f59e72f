/**
 * Batched multi-row inserts: one `insert … values (…), (…)` statement per
 * chunk, sized to stay under the database's bound-parameter limit. Built here
 * rather than with knex's insert builder, which writes SQLite multi-row inserts
 * as `select … union all select …` and so hits SQLite's 500-term compound limit.
 */
import type { Knex } from 'knex';

/** Bound parameters one statement may carry: SQLite's default 32,766, PostgreSQL's 65,535. */
export const PARAM_LIMIT = Object.freeze({ sqlite: 32_766, postgres: 65_535 });

/** The most rows one statement carries, whatever the limit allows. */
export const MAX_ROWS_PER_STATEMENT = 5_000;

/** A table's rows as positional values, in the order of `columns`. */
export interface TableRows {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: unknown[][];
}

/** Rows per statement for a table of `columnCount` columns. */
export function rowsPerStatement(kind: 'sqlite' | 'postgres', columnCount: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(PARAM_LIMIT[kind] / columnCount)));
}

/** Inserts every row of `data` with as few statements as the parameter limit allows; returns the row count. */
export async function insertRows(trx: Knex | Knex.Transaction, kind: 'sqlite' | 'postgres', data: TableRows): Promise<number> {
  const { table, columns, rows } = data;
  if (rows.length === 0) return 0;
  const chunk = rowsPerStatement(kind, columns.length);
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const bindings: unknown[] = [];
    for (const row of part) for (const value of row) bindings.push(value);
    await trx.raw(head + new Array<string>(part.length).fill(tuple).join(', '), bindings as Knex.RawBinding[]);
  }
  return rows.length;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
