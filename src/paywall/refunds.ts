/**
 * Refunds: requested by an admin (a job calls refundStarPayment), or reported
 * by Telegram (`refunded_payment`). Either way the time that payment bought is
 * taken back, access ends only if none is left, a recurring subscription is
 * cancelled, and a second refund changes nothing.
 */
import type { PaywallDeps } from './deps.js';
import { PaywallError } from './errors.js';
import type { Job } from './index.js';
import { queueRemoval, shortenExpiry } from './term.js';

/** Queues a refund; 404 unknown, 409 refunded or queued. */
export async function requestRefund(deps: PaywallDeps, input: { chargeId: string; actor: string }): Promise<Job> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const payment = await tx.payments.get(input.chargeId);
    if (!payment) throw new PaywallError('PAYMENT_NOT_FOUND', 'There is no payment with that charge id.', { chargeId: input.chargeId });
    if (payment.status === 'refunded') throw new PaywallError('ALREADY_REFUNDED', 'This payment was already refunded.', { chargeId: input.chargeId });
    const existing = await tx.jobs.byDedupeKey(`refund:${input.chargeId}`);
    if (existing && existing.status !== 'failed') throw new PaywallError('REFUND_QUEUED', 'A refund of this payment is already queued.', { chargeId: input.chargeId, jobId: existing.id });
    const job = await tx.jobs.enqueue({ type: 'refund', payload: { chargeId: input.chargeId, userId: payment.userId, actor: input.actor }, dedupeKey: existing ? `refund:${input.chargeId}:${now.getTime()}` : `refund:${input.chargeId}` }, now);
    await tx.audit.record({ actor: input.actor, action: 'refund', target: `payment:${input.chargeId}`, details: { amount: payment.amount, userId: payment.userId, jobId: job.id } }, now);
    return job;
  });
}

/** Records that a payment was refunded and takes its time back; false when it was refunded before. */
export async function applyRefund(deps: PaywallDeps, chargeId: string, via: 'admin' | 'telegram'): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const payment = await tx.payments.get(chargeId);
    if (!payment) return false;
    // Before anything is read that a payment of the same user could change at the same time.
    await tx.users.lock(payment.userId);
    if (!(await tx.payments.markRefunded(chargeId, now))) return false;
    const sub = payment.subscriptionId !== null ? await tx.subscriptions.get(payment.subscriptionId) : undefined;
    if (sub && sub.status === 'active') {
      const expiresAt = shortenExpiry(sub.expiresAt, payment.durationSeconds, now);
      const ended = expiresAt.getTime() <= now.getTime();
      await tx.subscriptions.update(sub.id, { expiresAt, ...(ended ? { status: 'expired' as const } : {}) }, now);
      if (ended) await queueRemoval(tx, sub, null, now);
    }
    if (payment.isRecurring || sub?.recurringChargeId) {
      const chargeOfSubscription = sub?.recurringChargeId ?? chargeId;
      await tx.jobs.enqueue({ type: 'cancel_subscription', payload: { userId: payment.userId, chargeId: chargeOfSubscription }, dedupeKey: `cancel:${chargeOfSubscription}` }, now);
    }
    await tx.jobs.enqueue({ type: 'message', payload: { userId: payment.userId, key: 'refund.done', params: { amount: payment.amount } }, dedupeKey: `refund-notice:${chargeId}` }, now);
    await tx.jobs.enqueue({ type: 'admin_notice', payload: { key: 'admin.refund', params: { user: payment.userId, amount: payment.amount, via } }, dedupeKey: `admin:refund:${chargeId}` }, now);
    return true;
  });
}
