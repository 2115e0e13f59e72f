/**
 * 002-subscription-chat-order: a subscription keeps its chats in the order its
 * plan lists them (as plan_chats does), so invite links reach the user in the
 * operator's order.
 */
import type { Knex } from 'knex';

/** Adds subscription_chats.position. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subscription_chats', (t) => {
    t.integer('position').notNullable().defaultTo(0);
  });
}

/** Drops subscription_chats.position. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subscription_chats', (t) => {
    t.dropColumn('position');
  });
}
