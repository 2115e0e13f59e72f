/**
 * The sweeper: ends subscriptions whose time is up, queues removals once
 * PAYWALL_GRACE has passed (with the notice and a renewal offer), sends one
 * reminder before expiry, and says when it next has work.
 */
import type { PaywallDeps } from './deps.js';
import { queueRemoval } from './term.js';

const BATCH = 500;
const DAY_MS = 86_400_000;

/** What one sweep did, and when the next is due. */
export interface SweepResult {
  expired: number;
  removalsQueued: number;
  remindersQueued: number;
  nextDueAt: Date | undefined;
}

/** One sweep at the clock's now. */
export async function sweep(deps: PaywallDeps, graceMs: number): Promise<SweepResult> {
  const now = deps.clock.now();
  const { store } = deps;
  let expired = 0;
  // Each change is decided again inside its transaction, under the user's lock: a renewal or a grant that
  // committed since the list was read (a payment, reconciliation, the dashboard) keeps its subscription alive.
  for (const listed of await store.subscriptions.dueToExpire(now, BATCH)) {
    const done = await store.transaction(async (tx) => {
      await tx.users.lock(listed.userId);
      const sub = await tx.subscriptions.get(listed.id);
      if (!sub || sub.status !== 'active' || sub.expiresAt === null || sub.expiresAt > now) return false;
      await tx.subscriptions.update(sub.id, { status: 'expired' }, now);
      return true;
    });
    if (done) expired += 1;
  }
  let removalsQueued = 0;
  const cutoff = new Date(now.getTime() - graceMs);
  for (const listed of await store.subscriptions.dueForRemoval(cutoff, BATCH)) {
    const done = await store.transaction(async (tx) => {
      await tx.users.lock(listed.userId);
      const sub = await tx.subscriptions.get(listed.id);
      if (!sub || sub.removedAt !== null) return false;
      const ended = sub.status === 'revoked' || (sub.expiresAt !== null && sub.expiresAt <= cutoff);
      if (!ended) return false;
      await queueRemoval(tx, sub, sub.status === 'expired' ? 'expired.notice' : null, now);
      return true;
    });
    if (done) removalsQueued += 1;
  }
  let remindersQueued = 0;
  for (const sub of await store.subscriptions.dueForReminder(now, BATCH)) {
    await store.transaction(async (tx) => {
      await tx.subscriptions.markReminded(sub.id, now);
      await tx.jobs.enqueue({
        type: 'message',
        payload: { userId: sub.userId, key: 'reminder.expiring', params: { expiresAt: sub.expiresAt?.toISOString() ?? null, planId: sub.planId }, renewPlanId: sub.planId },
        dedupeKey: `remind:${sub.id}:${sub.expiresAt?.getTime() ?? 'none'}`,
      }, now);
    });
    remindersQueued += 1;
  }
  // Telegram delivers no update again after a day: the record of handled ones needs only the last two.
  await store.updates.prune(new Date(now.getTime() - 2 * DAY_MS));
  return { expired, removalsQueued, remindersQueued, nextDueAt: await store.subscriptions.nextDueAt(now, graceMs) };
}
