/**
 * The version of the data the overview's numbers depend on, read cheaply:
 * the newest time on indexed columns of users (a new user: not a returning
 * one, whose every message would otherwise start a recomputation), payments
 * (a payment, a refund) and subscriptions (any change). Equal
 * versions mean none of those rows changed since; each part is one index
 * lookup, whatever the size of the tables (migration 004 adds the indexes
 * that 001 and 003 did not).
 */
import type { Knex } from 'knex';

/** Reads the version as one string. */
export async function readDataVersion(knex: Knex): Promise<string> {
  const [row] = (await knex
    .select(
      knex('users').max('first_seen_at').as('u'),
      knex('payments').max('created_at').as('p'),
      knex('payments').max('refunded_at').as('r'),
      knex('subscriptions').max('updated_at').as('s'),
    )) as [Record<string, unknown>];
  return [row.u, row.p, row.r, row.s].map((v) => (v === null || v === undefined ? '-' : String(v))).join(':');
}
