/**
 * 004-change-indexes: the indexes that let the dashboard tell, in one index
 * lookup each, whether payments were refunded or subscriptions changed since
 * it last computed the overview (read-models/data-version.ts).
 */
import type { Knex } from 'knex';

/** Adds payments(refunded_at) and subscriptions(updated_at). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => void t.index(['refunded_at'], 'payments_refunded_at_idx'));
  await knex.schema.alterTable('subscriptions', (t) => void t.index(['updated_at'], 'subscriptions_updated_at_idx'));
}

/** Drops them. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subscriptions', (t) => void t.dropIndex(['updated_at'], 'subscriptions_updated_at_idx'));
  await knex.schema.alterTable('payments', (t) => void t.dropIndex(['refunded_at'], 'payments_refunded_at_idx'));
}
