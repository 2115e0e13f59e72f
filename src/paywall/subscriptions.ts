/** Giving a user time on a plan (or on the default chat): one subscription per user and plan, extended in place. */
import type { Repositories, Subscription } from './index.js';
import { extendExpiry, isLive } from './term.js';

/** What a term change needs. */
export interface TermChange {
  userId: number;
  planId: number | null;
  chatIds: readonly number[];
  /** Seconds to add; null for lifetime. */
  seconds: number | null;
  recurringChargeId?: string | null;
}

/** Extends (or starts) the user's subscription for the plan, from the later of now and its current expiry. */
export async function addTerm(tx: Repositories, change: TermChange, now: Date): Promise<Subscription> {
  const current = await tx.subscriptions.forUserAndPlan(change.userId, change.planId);
  if (!current) {
    return tx.subscriptions.create({
      userId: change.userId,
      planId: change.planId,
      chatIds: change.chatIds,
      status: 'active',
      startsAt: now,
      expiresAt: extendExpiry(undefined, change.seconds, now, false),
      recurringChargeId: change.recurringChargeId ?? null,
    }, now);
  }
  const live = isLive(current.status, current.expiresAt, now);
  return tx.subscriptions.update(current.id, {
    status: 'active',
    startsAt: live ? current.startsAt : now,
    expiresAt: extendExpiry(current.expiresAt, change.seconds, now, live),
    chatIds: change.chatIds,
    ...(change.recurringChargeId ? { recurringChargeId: change.recurringChargeId } : {}),
  }, now);
}
