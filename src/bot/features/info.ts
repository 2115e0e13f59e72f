/** `/help`, `/terms`, `/paysupport` (Telegram requires the last for Stars payments). */
import { Composer } from 'grammy';
import { replyHtml, type PaywallContext } from '../context.js';

/** The informational commands. */
export function infoFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  for (const command of ['help', 'terms', 'paysupport'] as const) {
    composer.command(command, (ctx) => replyHtml(ctx, ctx.t(command)));
  }
  return composer;
}
