/** The JobRepo port over the `jobs` table: the durable queue and the outbox. */
import type { Knex } from 'knex';
import type { Job, JobRepo, JobType } from '../paywall/index.js';
import { fromJsonText, textOrNull, toJsonText } from './repo-rows.js';
import { fromDbInt, fromDbTime, toDbTime } from './values.js';

/** A `jobs` row as read back. */
export type JobRow = Record<'id' | 'type' | 'payload' | 'status' | 'attempts' | 'max_attempts' | 'run_at' | 'last_error' | 'result' | 'dedupe_key' | 'created_at', unknown>;

const DEFAULT_MAX_ATTEMPTS = 5;
const STATUSES: readonly Job['status'][] = ['queued', 'running', 'done', 'failed'];

/** A stored job. */
export function toJob(row: JobRow): Job {
  return {
    id: fromDbInt(row.id),
    type: String(row.type) as JobType,
    payload: fromJsonText(row.payload) ?? {},
    status: String(row.status) as Job['status'],
    attempts: fromDbInt(row.attempts),
    maxAttempts: fromDbInt(row.max_attempts),
    runAt: fromDbTime(row.run_at),
    lastError: textOrNull(row.last_error),
    result: fromJsonText(row.result),
    dedupeKey: textOrNull(row.dedupe_key),
    createdAt: fromDbTime(row.created_at),
  };
}

/** The user a job concerns, stored in `jobs.user_id` so a user's jobs are found by index: `payload.userId` when a safe integer. */
export function jobUserId(payload: Record<string, unknown>): number | null {
  const { userId } = payload;
  return typeof userId === 'number' && Number.isSafeInteger(userId) ? userId : null;
}

function byRunAtThenId(a: Job, b: Job): number {
  return a.runAt.getTime() - b.runAt.getTime() || a.id - b.id;
}

/** Builds the JobRepo. `knex` may be a transaction; `kind` picks the claim query's locking. */
export function createJobRepo(knex: Knex, kind: 'sqlite' | 'postgres'): JobRepo {
  async function byDedupeKey(key: string): Promise<Job | undefined> {
    const row: JobRow | undefined = await knex('jobs').where({ dedupe_key: key }).first();
    return row ? toJob(row) : undefined;
  }

  return {
    async enqueue(job, at) {
      const now = toDbTime(at);
      const insert = knex('jobs').insert({
        type: job.type,
        payload: toJsonText(job.payload),
        user_id: jobUserId(job.payload),
        status: 'queued',
        attempts: 0,
        max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        run_at: toDbTime(job.runAt ?? at),
        dedupe_key: job.dedupeKey ?? null,
        created_at: now,
        updated_at: now,
      });
      if (job.dedupeKey === undefined) {
        const rows: JobRow[] = await insert.returning('*');
        if (!rows[0]) throw new Error('The job insert returned no row.');
        return toJob(rows[0]);
      }
      // ON CONFLICT DO NOTHING, not catch-and-read: a unique violation would abort a PostgreSQL transaction.
      // A racing insert of the same key waits for the other to commit, inserts nothing, then reads the winner.
      const rows: JobRow[] = await insert.onConflict('dedupe_key').ignore().returning('*');
      if (rows[0]) return toJob(rows[0]);
      const existing = await byDedupeKey(job.dedupeKey);
      if (!existing) throw new Error(`Job with key ${job.dedupeKey} vanished while being queued.`);
      return existing;
    },
    async get(id) {
      const row: JobRow | undefined = await knex('jobs').where({ id }).first();
      return row ? toJob(row) : undefined;
    },
    byDedupeKey,
    async claim(worker, now, limit) {
      if (limit <= 0) return [];
      const due = knex('jobs').select('id').where('status', 'queued').where('run_at', '<=', toDbTime(now)).orderBy([{ column: 'run_at' }, { column: 'id' }]).limit(limit);
      // One statement picks and takes the jobs: PostgreSQL skips rows another claimer has locked,
      // SQLite runs the statement under its single writer lock. Either way no job goes to two workers.
      if (kind === 'postgres') due.forUpdate().skipLocked();
      const rows: JobRow[] = await knex('jobs')
        .whereIn('id', due)
        .where('status', 'queued')
        .update({ status: 'running', locked_at: toDbTime(now), locked_by: worker, attempts: knex.raw('?? + 1', ['attempts']), updated_at: toDbTime(now) })
        .returning('*');
      return rows.map(toJob).sort(byRunAtThenId);
    },
    async complete(id, result, at) {
      await knex('jobs').where({ id }).update({ status: 'done', result: toJsonText(result), locked_at: null, updated_at: toDbTime(at) });
    },
    async checkpoint(id, progress, at) {
      await knex('jobs').where({ id, status: 'running' }).update({ result: toJsonText(progress), updated_at: toDbTime(at) });
    },
    async fail(id, error, retryAt, at) {
      const retry = retryAt === null ? { status: 'failed' } : { status: 'queued', run_at: toDbTime(retryAt) };
      // A failed attempt did not get as far as its checkpoint says: the next attempt starts afresh.
      await knex('jobs').where({ id }).update({ ...retry, result: null, last_error: error, locked_at: null, updated_at: toDbTime(at) });
    },
    async recoverStale(olderThan, at) {
      const interrupted = { last_error: 'interrupted: the worker stopped while running it', locked_at: null, locked_by: null, updated_at: toDbTime(at) };
      return knex.transaction(async (trx) => {
        const stale = () => trx('jobs').where('status', 'running').where('locked_at', '<', toDbTime(olderThan));
        // A job that has used its last attempt fails rather than loop forever on a crash it causes.
        const failed = await stale().whereRaw('?? >= ??', ['attempts', 'max_attempts']).update({ ...interrupted, status: 'failed' });
        const requeued = await stale().update({ ...interrupted, status: 'queued', run_at: toDbTime(at) });
        return failed + requeued;
      });
    },
    async counts() {
      const rows: Array<{ status: unknown; n: unknown }> = await knex('jobs').select('status').count({ n: '*' }).groupBy('status');
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Job['status'], number>;
      for (const row of rows) counts[String(row.status) as Job['status']] = fromDbInt(row.n);
      return counts;
    },
  };
}
