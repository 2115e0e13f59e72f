/**
 * Webhook mode (SPEC 5 item 4): with WEBHOOK_URL set, `paywall dashboard`
 * runs the bot runtime itself, fed by `POST /telegram/webhook`. In order: wait
 * for the database, check the token, wait for this token's lock and lease
 * (answering the webhook 503 meanwhile), start the runtime, and set the
 * webhook with a new random secret and the update types the runtime handles.
 * Each update is handled once (the runtime claims its id); a lost lease
 * answers 503 again until it is won back. Stopping leaves the webhook set,
 * so that the next deployment takes over without losing an update.
 */
import { randomBytes } from 'node:crypto';
import { webhookCallback } from 'grammy';
import type { Middleware } from 'koa';
import { createApiClient } from '../bot/create-bot.js';
import type { Heartbeat } from '../bot/heartbeat.js';
import { ALLOWED_UPDATES } from '../bot/polling.js';
import type { BotRuntime } from '../bot/runtime.js';
import { BodyReadError, readBody } from '../dashboard/middleware/read-body.js';
import { TokenRejectedError, UpdateNotHandledError, describeTelegramError } from '../bot/runtime-errors.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log/logger.js';
import { acquireConsumerGuard, type ConsumerGuard } from './consumer-guard.js';
import { ExitError } from './errors.js';
import type { DatabaseConnector } from './open-database.js';
import { mapRuntimeError, startRuntimeFor, startRuntimeHeartbeat, stopWithin, validateToken } from './runtime-host.js';

/** The path Telegram posts updates to, below WEBHOOK_URL. */
export const WEBHOOK_PATH = '/telegram/webhook';
/** Largest update body accepted. */
const MAX_UPDATE_BYTES = 1024 * 1024;
/** How often getWebhookInfo is asked for delivery errors (for the heartbeat's health). */
const WEBHOOK_INFO_EVERY_MS = 30_000;

/** The full webhook URL for a WEBHOOK_URL base. */
export function webhookUrlOf(base: string): string {
  return `${base.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}

/** A running webhook mode. */
export interface WebhookMode {
  /** Serves POST /telegram/webhook; mount it before the page gate. */
  readonly middleware: Middleware;
  /** Rejects with an ExitError when webhook mode cannot go on (a rejected token, a lost lock); resolves when stopped. */
  readonly done: Promise<void>;
}

interface Serving {
  handle: Middleware;
  holds: () => boolean;
}

async function readJson(ctx: Parameters<Middleware>[0]): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(ctx.req, MAX_UPDATE_BYTES);
  } catch (err) {
    return ctx.throw(err instanceof BodyReadError && err.reason === 'too-large' ? 413 : 400, 'The update could not be read.');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return ctx.throw(400, 'The body is not JSON.');
  }
}

async function waitForDatabase(database: DatabaseConnector, signal: AbortSignal): Promise<Db> {
  for (;;) {
    signal.throwIfAborted();
    const db = database.current();
    if (db) return db;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function untilStopped(signal: AbortSignal, lost: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (lost.aborted) return reject(lost.reason);
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    lost.addEventListener('abort', () => reject(lost.reason), { once: true });
  });
}

/** Keeps the heartbeat's webhook health: the last delivery error Telegram reports. */
function watchDeliveryErrors(runtime: BotRuntime, heartbeat: Heartbeat, logger: Logger): () => void {
  let reported = 0;
  const check = async () => {
    try {
      const info = await runtime.bot.bot.api.getWebhookInfo();
      const at = info.last_error_date ? new Date(info.last_error_date * 1000) : null;
      heartbeat.markWebhookError(at);
      if (info.last_error_date && info.last_error_date !== reported) {
        reported = info.last_error_date;
        logger.warn({ pending: info.pending_update_count }, `Telegram reports a webhook delivery error: ${info.last_error_message ?? 'no detail'}`);
      }
    } catch (err) {
      logger.debug(`getWebhookInfo failed: ${describeTelegramError(err)}`);
    }
  };
  void check();
  const timer = setInterval(() => void check(), WEBHOOK_INFO_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Starts webhook mode in the background; the middleware answers 503 until the runtime holds the token. */
export function startWebhookMode(config: Config, database: DatabaseConnector, logger: Logger, signal: AbortSignal): WebhookMode {
  let serving: Serving | undefined;

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== WEBHOOK_PATH) return next();
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      ctx.body = { error: 'Telegram posts updates here; use POST.' };
      return;
    }
    const live = serving;
    if (!live || !live.holds()) {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { error: 'The bot runtime is not running here yet (waiting for the lock and lease of this token); Telegram will retry.' };
      return;
    }
    ctx.request.body = await readJson(ctx);
    await live.handle(ctx, next);
  };

  async function run(): Promise<void> {
    const db = await waitForDatabase(database, signal);
    const api = createApiClient(config.token!, config.apiRoot);
    const botInfo = await validateToken(api);
    logger.info({ bot: `@${botInfo.username}`, botId: botInfo.id }, 'Webhook mode: token accepted by Telegram; waiting for the lock and lease of this token');
    let guard: ConsumerGuard | undefined;
    let runtime: BotRuntime | undefined;
    let heartbeat: Heartbeat | undefined;
    let stopWatching: (() => void) | undefined;
    try {
      guard = await acquireConsumerGuard({ config, logger, wait: true, signal });
      runtime = await startRuntimeFor(config, db, botInfo, logger);
      const live = runtime;
      const beat = startRuntimeHeartbeat(db, botInfo.id, 'webhook', logger);
      heartbeat = beat;
      const secret = randomBytes(32).toString('base64url');
      const callback = webhookCallback(live.bot.bot, 'koa', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
      const held = guard;
      serving = {
        holds: () => held.holds(),
        handle: async (ctx, next) => {
          try {
            await callback(ctx);
          } catch (err) {
            const cause = err instanceof Error && 'error' in err ? (err as { error: unknown }).error : err;
            if (cause instanceof UpdateNotHandledError) {
              // Not recorded (the database failed): 500 makes Telegram deliver it again later.
              logger.warn(`An update could not be handled and will be delivered again: ${cause.message}`);
              ctx.status = 500;
              ctx.body = { error: 'Not handled; deliver again later.' };
              return;
            }
            logger.error(`Handling a webhook update failed: ${describeTelegramError(err)}`);
            ctx.status = 200;
            ctx.body = '';
            return;
          }
          if (ctx.status < 300) beat.markPoll();
        },
      };
      const url = webhookUrlOf(config.webhookUrl!);
      await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false, max_connections: 40 });
      logger.info({ host: new URL(url).host }, 'Webhook set: updates arrive at POST /telegram/webhook');
      stopWatching = watchDeliveryErrors(live, beat, logger);
      await untilStopped(signal, guard.lost);
    } finally {
      serving = undefined;
      stopWatching?.();
      await stopWithin(runtime, logger);
      await heartbeat?.stop();
      await guard?.release();
    }
  }

  const done = run().catch((err: unknown) => {
    if (signal.aborted && !(err instanceof ExitError) && !(err instanceof TokenRejectedError)) return;
    throw mapRuntimeError(err);
  });
  return { middleware, done };
}
