/**
 * successful_payment and refunded_payment: recorded once per charge (and once
 * per update id); the confirmation and invite links follow from the outbox.
 */
import { Composer } from 'grammy';
import { applyRefund, recordPayment } from '../../paywall/index.js';
import type { PaywallContext } from '../context.js';
import { UpdateNotHandledError } from '../runtime-errors.js';

/** Runs a money step; a failure keeps the update unconfirmed, so Telegram delivers it again. */
async function mustHandle<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new UpdateNotHandledError(err);
  }
}

/** The payments feature. */
export function paymentsFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.on('message:successful_payment', async (ctx) => {
    const paid = ctx.message.successful_payment;
    const outcome = await mustHandle(() => recordPayment(ctx.services.paywall, {
      updateId: ctx.update.update_id,
      userId: ctx.from.id,
      chargeId: paid.telegram_payment_charge_id,
      providerChargeId: paid.provider_payment_charge_id || null,
      payload: paid.invoice_payload,
      amount: paid.total_amount,
      currency: paid.currency,
      isRecurring: paid.is_recurring === true,
      subscriptionExpiresAt: paid.subscription_expiration_date ? new Date(paid.subscription_expiration_date * 1000) : null,
      source: 'update',
    }));
    if (outcome.status === 'recorded') {
      ctx.services.logger.info({ userId: ctx.from.id, amount: paid.total_amount, planId: outcome.payment.planId }, 'Payment recorded');
      ctx.services.wakeJobs();
    } else {
      ctx.services.logger.info({ updateId: ctx.update.update_id }, 'A payment seen before: nothing changed');
    }
  });
  composer.on('message:refunded_payment', async (ctx) => {
    const refunded = ctx.message.refunded_payment;
    const changed = await mustHandle(() => applyRefund(ctx.services.paywall, refunded.telegram_payment_charge_id, 'telegram'));
    ctx.services.logger.info({ userId: ctx.from.id, changed }, 'Telegram reported a refund');
    if (changed) ctx.services.wakeJobs();
  });
  return composer;
}
