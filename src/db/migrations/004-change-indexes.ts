/**
 * 004-change-indexes: the indexes that let the dashboard tell, in one index
 * lookup each, whether users arrived, payments were refunded or subscriptions
 * changed since it last computed the overview (read-models/data-version.ts).
 * (A covering index for the active-subscriber count was tried and left out:
 * without statistics SQLite then chose it for the broadcast audience's
 * per-user subquery and scanned it once per user.)
 */
import type { Knex } from 'knex';

/** Adds the indexes. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => void t.index(['first_seen_at'], 'users_first_seen_at_idx'));
  await knex.schema.alterTable('payments', (t) => void t.index(['refunded_at'], 'payments_refunded_at_idx'));
  await knex.schema.alterTable('subscriptions', (t) => void t.index(['updated_at'], 'subscriptions_updated_at_idx'));
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => void t.dropIndex(['first_seen_at'], 'users_first_seen_at_idx'));
  await knex.schema.alterTable('subscriptions', (t) => void t.dropIndex(['updated_at'], 'subscriptions_updated_at_idx'));
  await knex.schema.alterTable('payments', (t) => void t.dropIndex(['refunded_at'], 'payments_refunded_at_idx'));
}
