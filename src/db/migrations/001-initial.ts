/**
 * 001-initial: the whole schema of SPEC. Conventions (values.ts): times are
 * BIGINT epoch milliseconds (UTC), Telegram ids BIGINT, money INTEGER Stars,
 * statuses short strings with CHECK constraints. Times have no database
 * default: the application supplies them from its clock.
 */
import type { Knex } from 'knex';

type Table = Knex.CreateTableBuilder;

const time = (t: Table, name: string) => t.bigInteger(name).notNullable();
const optionalTime = (t: Table, name: string) => t.bigInteger(name).nullable();
const status = (t: Table, values: string[], initial: string) => t.string('status', 16).notNullable().defaultTo(initial).checkIn(values);

async function createCatalog(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 191).primary();
    t.text('value').notNullable();
    time(t, 'updated_at');
  });
  await knex.schema.createTable('users', (t) => {
    t.bigInteger('id').primary(); // the Telegram user id
    t.string('username', 64).nullable();
    t.string('first_name', 256).nullable(); // null for a user created by a grant and never seen
    t.string('last_name', 256).nullable();
    t.string('language_code', 16).nullable();
    t.boolean('blocked').notNullable().defaultTo(false);
    optionalTime(t, 'blocked_at');
    time(t, 'first_seen_at'); // when the row was created (first update, or a grant)
    optionalTime(t, 'last_seen_at'); // last update from the user; null if never seen
    t.index(['username'], 'users_username_idx');
    t.index(['last_seen_at'], 'users_last_seen_at_idx');
  });
  await knex.schema.createTable('plans', (t) => {
    t.increments('id').primary();
    t.string('title', 128).notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('price').notNullable().checkPositive();
    t.string('duration', 32).notNullable(); // as written: 30d, 12h, lifetime
    t.bigInteger('duration_seconds').nullable(); // null for lifetime
    t.boolean('recurring').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    time(t, 'created_at');
    time(t, 'updated_at');
  });
  await knex.schema.createTable('plan_chats', (t) => {
    t.integer('plan_id').notNullable().references('id').inTable('plans').onDelete('CASCADE');
    t.bigInteger('chat_id').notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.primary(['plan_id', 'chat_id']);
    t.index(['chat_id'], 'plan_chats_chat_id_idx');
  });
  await knex.schema.createTable('protected_chats', (t) => {
    t.bigInteger('chat_id').primary();
    t.string('title', 256).nullable();
    t.string('type', 16).nullable(); // channel, supergroup, group
    t.string('bot_status', 32).nullable(); // administrator, member, left, kicked, …
    t.boolean('can_invite_users').notNullable().defaultTo(false);
    t.boolean('can_restrict_members').notNullable().defaultTo(false);
    optionalTime(t, 'checked_at');
  });
}

async function createSales(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.increments('id').primary();
    t.string('payload', 128).notNullable().unique(); // the invoice payload: unguessable
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.integer('plan_id').notNullable().references('id').inTable('plans');
    t.integer('amount').notNullable();
    t.string('currency', 8).notNullable().defaultTo('XTR');
    status(t, ['pending', 'paid', 'cancelled'], 'pending');
    time(t, 'created_at');
    optionalTime(t, 'paid_at');
    t.index(['user_id', 'status'], 'orders_user_id_status_idx');
  });
  await knex.schema.createTable('subscriptions', (t) => {
    t.increments('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.integer('plan_id').nullable().references('id').inTable('plans'); // null: a grant without a plan
    status(t, ['active', 'expired', 'revoked'], 'active');
    time(t, 'starts_at');
    optionalTime(t, 'expires_at'); // null: lifetime
    optionalTime(t, 'reminded_at');
    optionalTime(t, 'removed_at');
    optionalTime(t, 'ended_notified_at');
    t.string('recurring_charge_id', 255).nullable(); // the charge that started a Telegram Star subscription
    time(t, 'created_at');
    time(t, 'updated_at');
    t.index(['status', 'expires_at'], 'subscriptions_status_expires_at_idx');
    t.index(['user_id'], 'subscriptions_user_id_idx');
  });
  await knex.schema.createTable('subscription_chats', (t) => {
    t.integer('subscription_id').notNullable().references('id').inTable('subscriptions').onDelete('CASCADE');
    t.bigInteger('chat_id').notNullable();
    t.primary(['subscription_id', 'chat_id']);
    t.index(['chat_id'], 'subscription_chats_chat_id_idx');
  });
  await knex.schema.createTable('payments', (t) => {
    t.string('charge_id', 255).primary(); // telegram_payment_charge_id
    t.string('provider_charge_id', 255).nullable();
    t.bigInteger('user_id').notNullable();
    t.integer('plan_id').nullable().references('id').inTable('plans');
    t.integer('order_id').nullable().references('id').inTable('orders');
    t.integer('subscription_id').nullable().references('id').inTable('subscriptions'); // what it extended
    t.bigInteger('duration_seconds').nullable(); // the time it bought (a refund takes it back); null: lifetime or none
    t.integer('amount').notNullable();
    t.string('currency', 8).notNullable().defaultTo('XTR');
    t.boolean('is_recurring').notNullable().defaultTo(false);
    optionalTime(t, 'subscription_expires_at');
    status(t, ['paid', 'refunded'], 'paid');
    t.string('source', 16).notNullable().defaultTo('update').checkIn(['update', 'reconcile', 'seed']);
    time(t, 'created_at');
    optionalTime(t, 'refunded_at');
    t.index(['user_id'], 'payments_user_id_idx');
    t.index(['created_at'], 'payments_created_at_idx');
  });
}

async function createAccess(knex: Knex): Promise<void> {
  await knex.schema.createTable('invite_links', (t) => {
    t.increments('id').primary();
    t.string('invite_link', 255).notNullable().unique();
    t.bigInteger('user_id').notNullable();
    t.bigInteger('chat_id').notNullable();
    t.integer('subscription_id').nullable().references('id').inTable('subscriptions');
    status(t, ['active', 'used', 'revoked'], 'active');
    time(t, 'created_at');
    optionalTime(t, 'joined_at');
    optionalTime(t, 'revoked_at');
    t.index(['user_id', 'chat_id'], 'invite_links_user_id_chat_id_idx');
  });
  await knex.schema.createTable('chat_members', (t) => {
    t.bigInteger('chat_id').notNullable();
    t.bigInteger('user_id').notNullable();
    t.string('status', 32).notNullable(); // Telegram's: member, administrator, left, kicked, …
    time(t, 'updated_at');
    t.primary(['chat_id', 'user_id']);
    t.index(['user_id'], 'chat_members_user_id_idx');
  });
}

async function createOperations(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (t) => {
    t.increments('id').primary();
    t.string('type', 64).notNullable();
    t.text('payload').notNullable().defaultTo('{}'); // JSON
    status(t, ['queued', 'running', 'done', 'failed'], 'queued');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(5);
    time(t, 'run_at');
    optionalTime(t, 'locked_at');
    t.string('locked_by', 128).nullable();
    t.text('last_error').nullable();
    t.text('result').nullable(); // JSON
    t.string('dedupe_key', 255).nullable().unique(); // NULLs do not collide on either database
    time(t, 'created_at');
    time(t, 'updated_at');
    t.index(['status', 'run_at'], 'jobs_status_run_at_idx');
  });
  await knex.schema.createTable('broadcasts', (t) => {
    t.increments('id').primary();
    t.text('text').notNullable();
    t.string('audience', 16).notNullable().checkIn(['active', 'expired', 'all']);
    status(t, ['queued', 'running', 'done', 'failed'], 'queued');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('sent').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.string('created_by', 128).nullable();
    time(t, 'created_at');
    optionalTime(t, 'started_at');
    optionalTime(t, 'finished_at');
  });
  await knex.schema.createTable('broadcast_recipients', (t) => {
    t.integer('broadcast_id').notNullable().references('id').inTable('broadcasts').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable();
    status(t, ['pending', 'sending', 'sent', 'failed'], 'pending');
    optionalTime(t, 'attempted_at');
    t.text('error').nullable();
    t.primary(['broadcast_id', 'user_id']);
    t.index(['broadcast_id', 'status'], 'broadcast_recipients_broadcast_id_status_idx');
  });
  await knex.schema.createTable('bot_heartbeat', (t) => {
    t.bigInteger('bot_id').primary();
    t.integer('pid').notNullable();
    t.string('host', 255).notNullable();
    t.string('mode', 16).notNullable().checkIn(['polling', 'webhook']);
    time(t, 'started_at');
    optionalTime(t, 'last_poll_at');
    optionalTime(t, 'last_webhook_error_at');
    t.integer('conflicts').notNullable().defaultTo(0);
    time(t, 'updated_at');
  });
  await knex.schema.createTable('processed_updates', (t) => {
    t.bigInteger('update_id').primary();
    time(t, 'processed_at');
    t.index(['processed_at'], 'processed_updates_processed_at_idx');
  });
  await knex.schema.createTable('admin_sessions', (t) => {
    t.string('id', 64).primary(); // sha256 hex of the session token: the token itself is never stored
    t.string('csrf_token', 128).notNullable();
    t.string('ip', 64).nullable();
    time(t, 'created_at');
    time(t, 'last_seen_at');
    time(t, 'expires_at');
    t.index(['expires_at'], 'admin_sessions_expires_at_idx');
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('actor', 128).notNullable();
    t.string('action', 64).notNullable();
    t.string('target', 255).nullable();
    t.text('details').nullable(); // JSON
    time(t, 'created_at');
    t.index(['created_at'], 'audit_log_created_at_idx');
  });
}

const TABLES = [
  'audit_log', 'admin_sessions', 'processed_updates', 'bot_heartbeat', 'broadcast_recipients', 'broadcasts', 'jobs',
  'chat_members', 'invite_links', 'payments', 'subscription_chats', 'subscriptions', 'orders',
  'protected_chats', 'plan_chats', 'plans', 'users', 'settings',
];

/** Creates every table. */
export async function up(knex: Knex): Promise<void> {
  await createCatalog(knex);
  await createSales(knex);
  await createAccess(knex);
  await createOperations(knex);
}

/** Drops every table, dependants first. */
export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.schema.dropTableIfExists(table);
}
