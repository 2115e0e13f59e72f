/**
 * The sweeper: ends subscriptions whose time is up, queues removals once
 * PAYWALL_GRACE has passed (with the notice and a renewal offer), sends one
 * reminder before expiry, and says when it next has work.
 */
import type { PaywallDeps } from './deps.js';
import { queueRemoval } from './term.js';

const BATCH = 500;

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
  for (const sub of await store.subscriptions.dueToExpire(now, BATCH)) {
    await store.subscriptions.update(sub.id, { status: 'expired' }, now);
    expired += 1;
  }
  let removalsQueued = 0;
  for (const sub of await store.subscriptions.dueForRemoval(new Date(now.getTime() - graceMs), BATCH)) {
    await store.transaction((tx) => queueRemoval(tx, sub, sub.status === 'expired' ? 'expired.notice' : null, now));
    removalsQueued += 1;
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
  return { expired, removalsQueued, remindersQueued, nextDueAt: await store.subscriptions.nextDueAt(now, graceMs) };
}
