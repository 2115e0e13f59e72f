/**
 * `/status`: the user's subscriptions and expiries, renew buttons, and a fresh
 * invite link for an active subscriber who is not in a chat.
 */
import { Composer } from 'grammy';
import { isLive, type Button } from '../../paywall/index.js';
import { replyHtml, type PaywallContext } from '../context.js';

/** The status feature. */
export function statusFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.command('status', async (ctx) => {
    const { store, clock } = ctx.services.paywall;
    const now = clock.now();
    const subs = await store.subscriptions.forUser(ctx.from!.id);
    if (subs.length === 0) return replyHtml(ctx, ctx.t('status.none'));
    const lines: string[] = [];
    const buttons: Button[][] = [];
    for (const sub of subs) {
      const plan = sub.planId !== null ? await store.plans.get(sub.planId) : undefined;
      const title = plan?.title ?? ctx.t('status.granted_access');
      const live = isLive(sub.status, sub.expiresAt, now);
      lines.push(ctx.t(live ? 'status.active_item' : 'status.expired_item', { title, expiry: sub.expiresAt }));
      if (plan?.active) buttons.push([{ text: ctx.t('status.renew_button', { title }), callbackData: `buy:${plan.id}` }]);
      if (!live) continue;
      for (const chatId of sub.chatIds) {
        const status = await store.chats.memberStatus(chatId, ctx.from!.id);
        if (status !== 'member' && status !== 'administrator' && status !== 'creator') {
          buttons.push([{ text: ctx.t('status.fresh_link_button', { title }), callbackData: `link:${sub.id}` }]);
          break;
        }
      }
    }
    await replyHtml(ctx, lines.join('\n'), { buttons });
  });
  composer.callbackQuery(/^link:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { paywall, wakeJobs } = ctx.services;
    const sub = await paywall.store.subscriptions.get(Number(ctx.match[1]));
    if (!sub || sub.userId !== ctx.from.id || !isLive(sub.status, sub.expiresAt, paywall.clock.now())) return replyHtml(ctx, ctx.t('status.none'));
    await paywall.store.jobs.enqueue({ type: 'invite', payload: { userId: sub.userId, subscriptionId: sub.id, reason: 'status' } }, paywall.clock.now());
    wakeJobs();
  });
  return composer;
}
