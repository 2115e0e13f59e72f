/**
 * The bot's context: the domain dependencies every feature uses, the user's
 * language, and `t()` for texts. Users are recorded on every interaction.
 */
import type { Context, MiddlewareFn } from 'grammy';
import type { Logger } from 'pino';
import type { PaywallDeps, TelegramGateway } from '../paywall/index.js';
import type { TextParams, TextRenderer } from '../paywall/jobs/job-deps.js';
import { preparedByBatch } from './features/once.js';

/** What the features need, beyond grammY. */
export interface BotServices {
  readonly paywall: PaywallDeps;
  readonly gateway: TelegramGateway;
  readonly texts: TextRenderer;
  readonly logger: Logger;
  /** Tells the job runner there is new work (a confirmation to send). */
  readonly wakeJobs: () => void;
}

/** grammY's context with ours. */
export interface PaywallContext extends Context {
  services: BotServices;
  /** The text `key` in the sender's language. */
  t(key: string, params?: TextParams): string;
  /** The sender's language code, as Telegram gave it. */
  languageCode: string | null;
}

/** Installs services and `t()`, and records the sender (which also clears a blocked mark). */
export function contextMiddleware(services: BotServices): MiddlewareFn<PaywallContext> {
  return async (ctx, next) => {
    ctx.services = services;
    const from = ctx.from;
    ctx.languageCode = from?.language_code ?? null;
    ctx.t = (key, params) => services.texts.render(ctx.languageCode, key, params);
    // A polled batch recorded its senders in one statement already (batch-inbox.ts).
    if (from && !from.is_bot && !preparedByBatch(ctx.update)) {
      await services.paywall.store.users.touch({
        id: from.id,
        username: from.username,
        firstName: from.first_name,
        lastName: from.last_name,
        languageCode: from.language_code,
      }, services.paywall.clock.now());
    }
    await next();
  };
}

/** Sends HTML to the chat of the update, as a reply (not held to the bulk rate). */
export async function replyHtml(ctx: PaywallContext, html: string, buttons?: Parameters<TelegramGateway['sendMessage']>[2]): Promise<void> {
  if (!ctx.chat) return;
  await ctx.services.gateway.sendMessage(ctx.chat.id, html, { ...buttons, priority: 'reply' });
}
