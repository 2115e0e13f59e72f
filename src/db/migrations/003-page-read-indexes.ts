/**
 * 003-page-read-indexes: what the dashboard's pages read without scanning big
 * tables: `jobs.user_id` (filled from `payload.userId`, existing jobs
 * included) with (user_id, id), for a user's jobs; the time a pending removal
 * falls due, for upcoming removals; subscriptions by creation time, for new
 * subscribers; paid payments by time with their amount, for the revenue
 * chart; the audit log by action, for its filter.
 */
import type { Knex } from 'knex';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * When a subscription whose removal is not queued yet (`removed_at` null) ended or
 * ends: its expiry, or for a revoked one the revocation (its last update); null once
 * the removal is queued, and for a lifetime term. An index on the expression, not a
 * partial index: PostgreSQL keeps statistics for it, where per-column statistics
 * cannot tell a pending expiry from the many past ones already removed. A query
 * uses the index only with this very expression (read-models/removals.ts imports it).
 */
export const REMOVAL_DUE_SQL = "(case when removed_at is null then (case when status = 'revoked' then updated_at else expires_at end) end)";

// CASE, not AND, guards each step: neither database promises to evaluate AND's operands in order.
// No '?' in this SQL: knex.raw would take it for a binding on PostgreSQL.

/** SQLite: the payload's userId when it is a JSON integer within JS's safe range. */
const SQLITE_BACKFILL = `update jobs set user_id = json_extract(payload, '$.userId')
  where payload like '%"userId"%'
    and (case when json_valid(payload) then
      case when json_type(payload, '$.userId') = 'integer' then json_extract(payload, '$.userId') between -${MAX_SAFE} and ${MAX_SAFE} end
    end) = 1`;

/** PostgreSQL: the same rule (job-repo writes payloads with JSON.stringify, so each is valid JSON). */
const PG_BACKFILL = `update jobs set user_id = (payload::jsonb ->> 'userId')::bigint
  where payload like '%"userId"%'
    and (case when jsonb_typeof(payload::jsonb -> 'userId') = 'number' and (payload::jsonb ->> 'userId') ~ '^-{0,1}[0-9]{1,16}$'
      then abs((payload::jsonb ->> 'userId')::numeric) <= ${MAX_SAFE} else false end)`;

/** Adds jobs.user_id (backfilled) and the read indexes. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.bigInteger('user_id').nullable();
  });
  await knex.raw(knex.client.config.client === 'pg' ? PG_BACKFILL : SQLITE_BACKFILL);
  await knex.schema.alterTable('jobs', (t) => {
    t.index(['user_id', 'id'], 'jobs_user_id_id_idx');
  });
  await knex.raw(`create index subscriptions_removal_due_idx on subscriptions (${REMOVAL_DUE_SQL})`);
  await knex.schema.alterTable('subscriptions', (t) => {
    t.index(['created_at', 'user_id'], 'subscriptions_created_at_user_id_idx');
  });
  // Partial: only what counts as revenue, and with the amount, so the chart reads the index alone.
  await knex.raw("create index payments_paid_created_at_amount_idx on payments (created_at, amount) where status = 'paid'");
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['action', 'created_at'], 'audit_log_action_created_at_idx');
  });
}

/** Drops the indexes and jobs.user_id. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['action', 'created_at'], 'audit_log_action_created_at_idx');
  });
  await knex.raw('drop index payments_paid_created_at_amount_idx');
  await knex.schema.alterTable('subscriptions', (t) => {
    t.dropIndex(['created_at', 'user_id'], 'subscriptions_created_at_user_id_idx');
  });
  await knex.raw('drop index subscriptions_removal_due_idx');
  await knex.schema.alterTable('jobs', (t) => {
    t.dropIndex(['user_id', 'id'], 'jobs_user_id_id_idx');
  });
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('user_id');
  });
}
