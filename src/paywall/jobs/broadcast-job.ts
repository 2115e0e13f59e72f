/**
 * Sending a broadcast: each recipient is marked `sending` before the call and
 * `sent`/`failed` after, so a crash never sends anyone the message twice: a
 * recipient left `sending` is counted failed when the job resumes.
 */
import { GatewayError } from '../telegram-port.js';
import type { JobDeps } from './job-deps.js';

const BATCH = 200;

/** Runs (or resumes) a broadcast to its end. */
export async function runBroadcast(deps: JobDeps, broadcastId: number): Promise<Record<string, unknown>> {
  const { broadcasts, users } = deps.store;
  const broadcast = await broadcasts.get(broadcastId);
  if (!broadcast) return { skipped: 'unknown broadcast' };
  const interrupted = await broadcasts.failInFlight(broadcastId, deps.clock.now());
  if (interrupted > 0) deps.log.warn({ broadcastId, interrupted }, 'Resuming a broadcast: sends in flight at the crash are counted failed');
  await broadcasts.setStatus(broadcastId, 'running', deps.clock.now());
  for (;;) {
    const batch = await broadcasts.pendingRecipients(broadcastId, BATCH);
    if (batch.length === 0) break;
    for (const userId of batch) {
      if (deps.signal?.aborted) throw new GatewayError('transient', 'stopped for shutdown; the broadcast resumes after the restart', 0);
      await broadcasts.markSending(broadcastId, userId, deps.clock.now());
      try {
        await deps.gateway.sendMessage(userId, broadcast.text, { priority: 'bulk' });
        await broadcasts.markResult(broadcastId, userId, true, null, deps.clock.now());
      } catch (err) {
        const e = err instanceof GatewayError ? err : new GatewayError('transient', (err as Error).message);
        if (e.kind === 'blocked') await users.setBlocked(userId, true, deps.clock.now());
        // A transient failure after retries is this recipient's failure, not the whole broadcast's.
        await broadcasts.markResult(broadcastId, userId, false, e.message, deps.clock.now());
      }
    }
  }
  await broadcasts.setStatus(broadcastId, 'done', deps.clock.now());
  const done = await broadcasts.get(broadcastId);
  return { sent: done?.sent ?? 0, failed: done?.failed ?? 0 };
}
