/**
 * Each update is handled once, whoever delivers it again (Telegram after a
 * lost confirmation, a webhook retried after a slow answer, a new holder of
 * the lease after a crash): the update's id is claimed in the database before
 * anything else happens. Payments are left to their own transaction, which
 * claims the id together with the payment (so a failed write is retried,
 * never skipped); every other update is at most once.
 */
import type { MiddlewareFn } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { PaywallDeps } from '../../paywall/index.js';
import type { PaywallContext } from '../context.js';

/** True for the updates whose handler claims the id inside its own transaction. */
export function claimsItsOwnId(update: Update): boolean {
  const message = update.message;
  return message !== undefined && (message.successful_payment !== undefined || message.refunded_payment !== undefined);
}

/** The first middleware: skips an update whose id was already claimed. */
export function onceMiddleware(paywall: Pick<PaywallDeps, 'store' | 'clock'>, logger: Logger): MiddlewareFn<PaywallContext> {
  return async (ctx, next) => {
    const update = ctx.update;
    if (!claimsItsOwnId(update) && !(await paywall.store.updates.markProcessed(update.update_id, paywall.clock.now()))) {
      logger.debug({ updateId: update.update_id }, 'An update delivered again was skipped');
      return;
    }
    await next();
  };
}
