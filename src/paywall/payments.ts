/**
 * Recording a Stars payment exactly once: the payment, the subscription change
 * and the confirmation (a job: the outbox) commit together, so a crash after
 * the commit still delivers the confirmation, and a redelivered update or a
 * charge seen twice changes nothing.
 */
import type { PaywallDeps } from './deps.js';
import type { Payment, Subscription } from './index.js';
import { addTerm } from './subscriptions.js';
import { planDurationSeconds } from './plans.js';

/** A successful payment, from an update or from reconciliation. */
export interface PaymentInput {
  /** The update that carried it; a redelivered update is a no-op. */
  updateId?: number;
  userId: number;
  chargeId: string;
  providerChargeId?: string | null;
  payload: string;
  amount: number;
  currency: string;
  isRecurring?: boolean;
  subscriptionExpiresAt?: Date | null;
  source: Payment['source'];
}

/** What happened to a payment. */
export type PaymentOutcome =
  | { status: 'recorded'; payment: Payment; subscription: Subscription | undefined }
  | { status: 'duplicate' };

class DuplicateCharge extends Error {}

/** Records a payment and grants what it bought, once. */
export async function recordPayment(deps: PaywallDeps, input: PaymentInput): Promise<PaymentOutcome> {
  const now = deps.clock.now();
  try {
    return await deps.store.transaction(async (tx) => {
      // One user's payments one at a time (reconciliation beside the update path), so no extension is lost.
      await tx.users.ensure(input.userId, now);
      await tx.users.lock(input.userId);
      if (input.updateId !== undefined && !(await tx.updates.markProcessed(input.updateId, now))) return { status: 'duplicate' } as const;
      if (await tx.payments.get(input.chargeId)) return { status: 'duplicate' } as const;
      const order = await tx.orders.byPayload(input.payload);
      // A charge for an order that is no longer pending still grants its plan: a charge is never dropped.
      const plan = order && order.userId === input.userId ? await tx.plans.get(order.planId) : undefined;
      if (order?.status === 'pending') await tx.orders.markPaid(order.id, now);
      const seconds = plan ? planDurationSeconds(plan) : null;
      const subscription = plan
        ? await addTerm(tx, { userId: input.userId, planId: plan.id, chatIds: plan.chatIds, seconds, recurringChargeId: input.isRecurring || plan.recurring ? input.chargeId : null }, now)
        : undefined;
      const payment: Omit<Payment, 'status' | 'refundedAt'> = {
        chargeId: input.chargeId,
        providerChargeId: input.providerChargeId ?? null,
        userId: input.userId,
        planId: plan?.id ?? null,
        orderId: order?.id ?? null,
        subscriptionId: subscription?.id ?? null,
        durationSeconds: plan ? seconds : null,
        amount: input.amount,
        currency: input.currency,
        isRecurring: input.isRecurring === true,
        subscriptionExpiresAt: input.subscriptionExpiresAt ?? null,
        source: input.source,
        createdAt: now,
      };
      if (!(await tx.payments.insert(payment))) throw new DuplicateCharge();
      if (subscription) {
        await tx.jobs.enqueue({ type: 'invite', payload: { userId: input.userId, subscriptionId: subscription.id, reason: 'payment', chargeId: input.chargeId }, dedupeKey: `invite:payment:${input.chargeId}` }, now);
      }
      await tx.jobs.enqueue({
        type: 'admin_notice',
        payload: { key: 'admin.sale', params: { user: input.userId, plan: plan?.title ?? 'unknown plan', amount: input.amount, source: input.source } },
        dedupeKey: `admin:sale:${input.chargeId}`,
      }, now);
      return { status: 'recorded', payment: { ...payment, status: 'paid', refundedAt: null }, subscription } as const;
    });
  } catch (err) {
    if (err instanceof DuplicateCharge) return { status: 'duplicate' };
    throw err;
  }
}
