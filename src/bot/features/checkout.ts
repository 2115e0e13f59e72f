/**
 * Pre-checkout: answered at once from the database (Telegram allows 10 s, we
 * aim for well under one). ok only for a pending order of this user for an
 * active plan whose chats the bot can manage, at the invoiced price.
 */
import { Composer } from 'grammy';
import { decidePreCheckout, htmlToPlain, type PaywallDeps } from '../../paywall/index.js';
import type { PaywallContext } from '../context.js';

/** The pre_checkout_query feature; `reads` is the store its checks read through (the domain's by default). */
export function checkoutFeature(reads?: PaywallDeps['store']): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    const paywall = ctx.services.paywall;
    let decision;
    try {
      decision = await decidePreCheckout(reads ? { ...paywall, store: reads } : paywall, {
        userId: query.from.id,
        payload: query.invoice_payload,
        currency: query.currency,
        totalAmount: query.total_amount,
      });
    } catch (err) {
      // Nobody may be charged for nothing: when we cannot check, we decline.
      ctx.services.logger.error({ userId: query.from.id }, `Pre-checkout check failed: ${(err as Error).message}`);
      await ctx.answerPreCheckoutQuery(false, { error_message: htmlToPlain(ctx.t('error.generic')) });
      return;
    }
    if (decision.ok) {
      await ctx.answerPreCheckoutQuery(true);
    } else {
      await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t(`checkout.declined.${decision.reason}`) });
      ctx.services.logger.info({ userId: query.from.id, reason: decision.reason }, 'Declined a pre-checkout');
    }
  });
  return composer;
}
