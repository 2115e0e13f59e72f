/** Anything no feature handled: a private text gets the help text; everything else is ignored. */
import { Composer } from 'grammy';
import { replyHtml, type PaywallContext } from '../context.js';

/** The catch-all feature, installed last. */
export function unhandledFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.chatType('private').on('message:text', (ctx) => replyHtml(ctx, ctx.t('help')));
  return composer;
}
