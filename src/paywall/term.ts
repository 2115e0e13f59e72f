import type { Repositories } from './ops-ports.js';
/** Subscription term arithmetic: extending from the later of now and the current expiry, taking time back. */

/** When the term ends after adding `seconds` (null: lifetime) to a subscription ending at `current`. */
export function extendExpiry(current: Date | null | undefined, seconds: number | null, now: Date, active: boolean): Date | null {
  if (seconds === null) return null;
  if (active && current === null) return null; // lifetime stays lifetime
  const from = active && current && current.getTime() > now.getTime() ? current.getTime() : now.getTime();
  return new Date(from + seconds * 1000);
}

/** The expiry after a refund takes `seconds` back; a lifetime purchase refunded ends now. */
export function shortenExpiry(current: Date | null, seconds: number | null, now: Date): Date {
  if (seconds === null || current === null) return now;
  return new Date(current.getTime() - seconds * 1000);
}

/** True when a subscription with this status and expiry gives access at `now`. */
export function isLive(status: string, expiresAt: Date | null, now: Date): boolean {
  return status === 'active' && (expiresAt === null || expiresAt.getTime() > now.getTime());
}

/**
 * Queues the removal of an ended subscription's member and marks the removal
 * as taken care of in the same transaction, so no sweep queues it again: the
 * one place every path (expiry, revocation, refund) goes through.
 */
export async function queueRemoval(tx: Repositories, sub: { id: number; userId: number }, notice: string | null, now: Date): Promise<void> {
  await tx.subscriptions.markRemoved(sub.id, now);
  await tx.jobs.enqueue({ type: 'remove', payload: { userId: sub.userId, subscriptionId: sub.id, notice } }, now);
}
