/**
 * Plans and buying: `/plans`, `/start plan_<id>` deep links and `buy:<id>`
 * buttons create a pending order and send a Stars invoice (a subscription
 * link for recurring plans). Callback queries are answered first.
 */
import { Composer } from 'grammy';
import { createOrder, fitInvoiceDescription, fitInvoiceTitle, htmlToPlain, isPaywallError, planDurationSeconds, type Plan, type PlanStore } from '../../paywall/index.js';
import { replyHtml, type PaywallContext } from '../context.js';

/** The buttons of the plan list: one per active plan. */
export async function planButtons(ctx: PaywallContext): Promise<{ plans: readonly Plan[]; buttons: { text: string; callbackData: string }[][] }> {
  const plans = await activePlans(ctx.services.paywall.store.plans);
  const buttons = plans.map((plan) => [{ text: ctx.t('plans.buy_button', { title: plan.title, price: plan.price }), callbackData: `buy:${plan.id}` }]);
  return { plans, buttons };
}

// Concurrent readers (a burst of /start in one batch) share the query in flight: never a stale answer, one query.
const listing = new WeakMap<object, Promise<readonly Plan[]>>();

/** The active plans, read once for all callers waiting at the same moment. */
function activePlans(store: PlanStore): Promise<readonly Plan[]> {
  let pending = listing.get(store);
  if (!pending) {
    pending = store.list({ activeOnly: true }).finally(() => listing.delete(store));
    listing.set(store, pending);
  }
  return pending;
}

/** Sends the plan list. */
export async function sendPlans(ctx: PaywallContext, headerKey: string, headerParams: Record<string, string> = {}): Promise<void> {
  const { plans, buttons } = await planButtons(ctx);
  if (plans.length === 0) return replyHtml(ctx, [ctx.t(headerKey, headerParams), '', ctx.t('start.no_plans')].join('\n'));
  const lines = plans.map((plan) => ctx.t('plans.item', { title: plan.title, price: plan.price, duration: planDurationSeconds(plan), description: plan.description }));
  await replyHtml(ctx, [ctx.t(headerKey, headerParams), '', ...lines].join('\n'), { buttons });
}

/** Creates an order for the plan and sends its invoice (or subscription link). */
export async function offerPlan(ctx: PaywallContext, planId: number): Promise<void> {
  const userId = ctx.from?.id;
  if (!userId || !ctx.chat) return;
  try {
    const { order, plan } = await createOrder(ctx.services.paywall, userId, planId);
    const invoice = {
      title: fitInvoiceTitle(ctx.t('invoice.title', { title: plan.title })),
      description: fitInvoiceDescription(plan.description ? htmlToPlain(plan.description) : ctx.t('invoice.description', { title: plan.title, duration: planDurationSeconds(plan) })),
      payload: order.payload,
      amount: plan.price,
    };
    if (plan.recurring) {
      const link = await ctx.services.gateway.createSubscriptionLink(invoice);
      await replyHtml(ctx, ctx.t('plans.subscribe_intro', { title: plan.title, price: plan.price }), { buttons: [[{ text: ctx.t('plans.buy_button', { title: plan.title, price: plan.price }), url: link }]] });
    } else {
      await ctx.services.gateway.sendInvoice(ctx.chat.id, invoice);
    }
  } catch (err) {
    if (isPaywallError(err, 'PLAN_UNAVAILABLE')) return replyHtml(ctx, ctx.t('plans.unavailable'));
    throw err;
  }
}

/** `/plans` and the buy buttons. */
export function plansFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.command('plans', (ctx) => sendPlans(ctx, 'plans.header'));
  composer.callbackQuery(/^buy:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await offerPlan(ctx, Number(ctx.match[1]));
  });
  return composer;
}
