/**
 * Admin commands for ADMIN_USER_IDS: `/stats`, `/grant <user_id> <duration>`,
 * `/revoke <user_id>`. Anyone else gets no hint that they exist (the update
 * falls through as an unknown command).
 */
import { Composer } from 'grammy';
import { grantAccess, isPaywallError, revokeAccess } from '../../paywall/index.js';
import { replyHtml, type PaywallContext } from '../context.js';

/** Counts for /stats, read by the composition root (the domain has no read models). */
export type StatsSource = () => Promise<Record<string, number>>;

/** The admin feature. */
export function adminFeature(stats: StatsSource): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  const admins = composer.filter((ctx) => ctx.from !== undefined && ctx.services.paywall.adminUserIds.includes(ctx.from.id));
  admins.command('stats', async (ctx) => {
    const s = await stats();
    await replyHtml(ctx, ctx.t('admin.stats', s));
  });
  admins.command('grant', async (ctx) => {
    const [userText, duration] = ctx.match.trim().split(/\s+/);
    const userId = Number(userText);
    if (!userText || !duration || !Number.isSafeInteger(userId)) return replyHtml(ctx, ctx.t('admin.usage'));
    try {
      const sub = await grantAccess(ctx.services.paywall, { userId, duration, actor: `telegram:${ctx.from!.id}` });
      ctx.services.wakeJobs();
      await replyHtml(ctx, ctx.t('admin.granted', { user: userId, expiry: sub.expiresAt }));
    } catch (err) {
      if (isPaywallError(err)) return replyHtml(ctx, ctx.t('admin.error', { error: err.message }));
      throw err;
    }
  });
  admins.command('revoke', async (ctx) => {
    const userId = Number(ctx.match.trim());
    if (!Number.isSafeInteger(userId) || userId <= 0) return replyHtml(ctx, ctx.t('admin.usage'));
    try {
      const revoked = await revokeAccess(ctx.services.paywall, { userId, actor: `telegram:${ctx.from!.id}` });
      ctx.services.wakeJobs();
      await replyHtml(ctx, ctx.t('admin.revoked', { user: userId, count: revoked.length }));
    } catch (err) {
      if (isPaywallError(err)) return replyHtml(ctx, ctx.t('admin.error', { error: err.message }));
      throw err;
    }
  });
  return composer;
}
