/**
 * createBot: the grammY bot with its features installed in a visible order,
 * inside one error boundary. It opens nothing and starts nothing by itself.
 */
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import { startFeature } from './features/start.js';
import { describeTelegramError } from './runtime-errors.js';

/** What the bot needs. */
export interface BotDeps {
  token: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
  logger: Logger;
}

/** Builds the bot; the caller feeds it updates (polling or webhook). */
export function createBot(deps: BotDeps): Bot<Context> {
  const bot = new Bot<Context>(deps.token, { botInfo: deps.botInfo, client: { apiRoot: deps.apiRoot } });
  const features = bot.errorBoundary((err) => {
    deps.logger.error({ updateId: err.ctx.update.update_id }, `Handling an update failed: ${describeTelegramError(err.error)}`);
  });
  features.use(startFeature());
  return bot;
}

/** A bare API client for calls made before the bot exists (getMe, getWebhookInfo). */
export function createApiClient(token: string, apiRoot: string): Bot['api'] {
  return new Bot(token, { client: { apiRoot } }).api;
}
