/**
 * createBot: the grammY bot with its features installed in a visible order,
 * inside one error boundary, plus the gateway the domain uses for Telegram.
 * It opens nothing and starts nothing by itself.
 */
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { PaywallDeps, TelegramGateway, TextRenderer } from '../paywall/index.js';
import { contextMiddleware, replyHtml, type PaywallContext } from './context.js';
import { accessFeature } from './features/access.js';
import { adminFeature, type StatsSource } from './features/admin.js';
import { checkoutFeature } from './features/checkout.js';
import { infoFeature } from './features/info.js';
import { paymentsFeature } from './features/payments.js';
import { plansFeature } from './features/plans.js';
import { startFeature } from './features/start.js';
import { statusFeature } from './features/status.js';
import { unhandledFeature } from './features/unhandled.js';
import { createGateway } from './gateway.js';
import { createTelegramFetch } from './http-client.js';
import { describeTelegramError, UpdateNotHandledError } from './runtime-errors.js';
import { onceMiddleware } from './features/once.js';
import { installSendLimits, type SendLimitOptions, type SendLimits } from './send-limits.js';

/** What the bot needs. */
export interface BotDeps {
  token: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
  logger: Logger;
  paywall: PaywallDeps;
  texts: TextRenderer;
  stats: StatsSource;
  wakeJobs: () => void;
  sendLimits?: SendLimitOptions;
  /**
   * The store the pre-checkout reads through, when not `paywall.store`: on
   * SQLite a connection of its own, so that a payer's answer never queues
   * behind the bot's writes on the one writing connection.
   */
  checkoutStore?: PaywallDeps['store'];
}

/** The bot and the Telegram side of the domain. */
export interface PaywallBot {
  bot: Bot<PaywallContext>;
  gateway: TelegramGateway;
  limits: SendLimits;
}

/** Builds the bot; the caller feeds it updates (polling or webhook). */
export function createBot(deps: BotDeps): PaywallBot {
  const bot = new Bot<PaywallContext>(deps.token, { botInfo: deps.botInfo, client: { apiRoot: deps.apiRoot, fetch: createTelegramFetch() } });
  const limits = installSendLimits(bot.api, deps.sendLimits);
  const gateway = createGateway(bot.api, limits, deps.botInfo.id);
  bot.use(onceMiddleware(deps.paywall, deps.logger));
  bot.use(contextMiddleware({ paywall: deps.paywall, gateway, texts: deps.texts, logger: deps.logger, wakeJobs: deps.wakeJobs }));
  const features = bot.errorBoundary(async (err) => {
    if (err.error instanceof UpdateNotHandledError) throw err.error;
    deps.logger.error({ updateId: err.ctx.update.update_id }, `Handling an update failed: ${describeTelegramError(err.error)}`);
    if (err.ctx.message && err.ctx.chat?.type === 'private') await replyHtml(err.ctx, err.ctx.t('error.generic')).catch(() => undefined);
  });
  // Time-critical answers first (pre-checkout, payments), then commands, then the catch-all.
  features.use(checkoutFeature(deps.checkoutStore));
  features.use(paymentsFeature());
  features.use(accessFeature());
  features.use(startFeature());
  features.use(plansFeature());
  features.use(statusFeature());
  features.use(infoFeature());
  features.use(adminFeature(deps.stats));
  features.use(unhandledFeature());
  return { bot, gateway, limits };
}

/** A bare API client for calls made before the bot exists (getMe, getWebhookInfo). */
export function createApiClient(token: string, apiRoot: string): Bot['api'] {
  return new Bot(token, { client: { apiRoot } }).api;
}
