/**
 * An update handled to the end is not handled again, whoever delivers it
 * again (Telegram after an offset that was not confirmed, such as the last
 * batch before a crash or a takeover; a webhook retried after a slow answer):
 * its id is recorded once its handling is done, and a recorded id is skipped.
 * An update whose handling was cut off (a crash in the middle) is handled
 * again: at least once, as the crash tests require, and never twice once
 * complete. Payments are left to their own transaction, which records the id
 * together with the payment.
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

const PREPARED = new WeakSet<Update>();

/** Marks an update whose batch (batch-inbox.ts) checked it, recorded its sender, and records it once handled. */
export function markPreparedByBatch(update: Update): void {
  PREPARED.add(update);
}

/** True for an update its batch prepared: these steps were done for the whole batch. */
export function preparedByBatch(update: Update): boolean {
  return PREPARED.has(update);
}

/** The first middleware: skips an update already handled, and records one once handled. */
export function onceMiddleware(paywall: Pick<PaywallDeps, 'store' | 'clock'>, logger: Logger): MiddlewareFn<PaywallContext> {
  return async (ctx, next) => {
    const update = ctx.update;
    if (claimsItsOwnId(update) || preparedByBatch(update)) return next();
    if (await paywall.store.updates.wasProcessed(update.update_id)) {
      logger.debug({ updateId: update.update_id }, 'An update delivered again was skipped: it was handled before');
      return;
    }
    await next();
    await paywall.store.updates.markProcessed(update.update_id, paywall.clock.now());
  };
}
