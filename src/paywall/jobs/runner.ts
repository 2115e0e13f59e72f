/**
 * The job runner: claims due jobs from the durable table, runs each with its
 * handler, and records the outcome — retried with backoff on transient
 * errors, failed for good on permanent ones (admins are told).
 */
import type { Job } from '../ops-ports.js';
import { GatewayError } from '../telegram-port.js';
import { handlerFor } from './handlers.js';
import type { JobDeps } from './job-deps.js';

const MAX_BACKOFF_MS = 5 * 60_000;

/** A running job loop. */
export interface JobRunner {
  /** Runs every due job once; resolves with how many ran. */
  runDue(): Promise<number>;
  /** Starts the loop (every `intervalMs`, and at once after `wake()`). */
  start(intervalMs?: number): void;
  /** Asks the loop to look for work now (e.g. a job was just queued). */
  wake(): void;
  /** Stops claiming new jobs and waits for the running ones. */
  stop(): Promise<void>;
}

function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, attempts - 1));
}

async function execute(deps: JobDeps, job: Job): Promise<void> {
  const now = () => deps.clock.now();
  try {
    const result = await handlerFor(job.type)(deps, job.payload, job);
    await deps.store.jobs.complete(job.id, result, now());
  } catch (err) {
    const e = err instanceof GatewayError ? err : undefined;
    const message = err instanceof Error ? err.message : String(err);
    const permanent = e?.kind === 'permanent' || e?.kind === 'blocked';
    const last = permanent || job.attempts >= job.maxAttempts;
    const retryAt = last ? null : new Date(now().getTime() + Math.max(e?.retryAfterMs ?? 0, backoffMs(job.attempts)));
    await deps.store.jobs.fail(job.id, message, retryAt, now());
    if (!last) {
      deps.log.warn({ jobId: job.id, type: job.type, attempt: job.attempts }, `Job failed, will retry: ${message}`);
      return;
    }
    deps.log.error({ jobId: job.id, type: job.type }, `Job failed for good: ${message}`);
    if (job.type !== 'admin_notice') {
      await deps.store.jobs.enqueue({ type: 'admin_notice', payload: { key: 'admin.job_failed', params: { job: job.id, type: job.type, error: message.slice(0, 200) } } }, now());
    }
  }
}

/** Builds the runner; nothing runs until start() or runDue(). */
export function createJobRunner(deps: JobDeps, options: { batch?: number } = {}): JobRunner {
  const batch = options.batch ?? 20;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let claiming = false;
  let interval = 500;

  // Claims what fits beside the jobs in flight: a long broadcast never holds up a confirmation.
  async function claimAndLaunch(): Promise<Promise<void>[]> {
    const room = batch - inFlight.size;
    if (room <= 0) return [];
    const jobs = await deps.store.jobs.claim(deps.workerId, deps.clock.now(), room);
    return jobs.map((job) => {
      const run = execute(deps, job).finally(() => {
        inFlight.delete(run);
        if (!stopped) schedule(0);
      });
      inFlight.add(run);
      return run;
    });
  }

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delayMs);
  }

  async function tick(): Promise<void> {
    if (stopped || claiming) return;
    claiming = true;
    let launched = 0;
    try {
      launched = (await claimAndLaunch()).length;
    } catch (err) {
      deps.log.error({}, `The job runner could not read the job table: ${(err as Error).message}`);
    } finally {
      claiming = false;
    }
    if (!stopped) schedule(launched > 0 ? 0 : interval);
  }

  return {
    async runDue() {
      const runs = await claimAndLaunch();
      await Promise.all(runs);
      return runs.length;
    },
    start(intervalMs = 500) {
      interval = intervalMs;
      stopped = false;
      schedule(0);
    },
    wake() { if (!stopped) schedule(0); },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...inFlight]);
    },
  };
}
