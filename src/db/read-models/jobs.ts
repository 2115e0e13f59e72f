/** Jobs for the dashboard: one user's, newest first, and the queue's state. */
import type { Knex } from 'knex';
import type { Job } from '../../paywall/index.js';
import { toJob, type JobRow } from '../job-repo.js';
import { fromDbInt, fromDbTimeOrNull } from '../values.js';

/** The queue's state: jobs per status, the oldest queued job's run time, the latest failures. */
export interface JobSummary {
  counts: Record<Job['status'], number>;
  /** null when nothing is queued. */
  oldestQueuedAt: Date | null;
  /** The most recently failed jobs, latest first. */
  recentFailures: Job[];
}

/** How many failures the summary lists. */
export const RECENT_FAILURES = 10;
const STATUSES: readonly Job['status'][] = ['queued', 'running', 'done', 'failed'];

/** The user's jobs (those whose payload names them), newest first, by the (user_id, id) index. */
export async function listUserJobs(knex: Knex, userId: number, limit: number): Promise<Job[]> {
  const rows: JobRow[] = await knex('jobs').where('user_id', userId).orderBy('id', 'desc').limit(limit).select('*');
  return rows.map(toJob);
}

/** Jobs per status (each status present), the oldest queued run time, and the latest failures. */
export async function readJobSummary(knex: Knex): Promise<JobSummary> {
  const counted: Array<{ status: unknown; n: unknown }> = await knex('jobs').select('status').count({ n: '*' }).groupBy('status');
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Job['status'], number>;
  for (const row of counted) counts[String(row.status) as Job['status']] = fromDbInt(row.n);
  const [oldest] = (await knex('jobs').where('status', 'queued').min({ at: 'run_at' })) as Array<{ at: unknown }>;
  // Failed jobs are few next to done ones: the status index finds them, and they are sorted by when they failed.
  const failed: JobRow[] = await knex('jobs')
    .where('status', 'failed')
    .orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(RECENT_FAILURES)
    .select('*');
  return { counts, oldestQueuedAt: fromDbTimeOrNull(oldest?.at), recentFailures: failed.map(toJob) };
}
