/**
 * 005-update-inbox: polled updates kept until they are handled. The poller
 * stores each batch here before its offset is confirmed to Telegram, so it can
 * fetch the next batch while this one is still being handled; what a crash or
 * a stop leaves here is handled at the next start (see bot/polling.ts).
 */
import type { Knex } from 'knex';

/** Creates the table. */
export async function up(knex: Knex): Promise<void> {
  const sqlite = knex.client.config.client === 'sqlite3';
  await knex.schema.createTable('update_inbox', (t) => {
    // On SQLite an INTEGER primary key (64-bit there) is the row id itself: one B-tree to write, not two.
    (sqlite ? t.integer('update_id') : t.bigInteger('update_id')).primary();
    t.text('payload').notNullable(); // the update as Telegram sent it (JSON)
    t.bigInteger('received_at').notNullable();
  });
}

/** Drops it. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('update_inbox');
}
