/** `/start`: greets and lists the plans; `/start plan_<id>` offers that plan's invoice at once. */
import { Composer } from 'grammy';
import type { PaywallContext } from '../context.js';
import { offerPlan, sendPlans } from './plans.js';

/** The /start command feature. */
export function startFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.command('start', async (ctx) => {
    const deepLink = /^plan_(\d+)$/.exec(ctx.match.trim());
    if (deepLink) return offerPlan(ctx, Number(deepLink[1]));
    await sendPlans(ctx, 'start.greeting', { name: ctx.from?.first_name ?? '' });
  });
  return composer;
}
