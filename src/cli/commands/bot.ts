/**
 * `paywall bot`: the bot runtime with long polling. Reads like its steps:
 * check the token, open the database, validate the token with Telegram,
 * take the lock, check the webhook, poll until told to stop.
 */
import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createApiClient } from '../../bot/create-bot.js';
import { startBotRuntime, type BotRuntime } from '../../bot/runtime.js';
import { startHeartbeat, type Heartbeat } from '../../bot/heartbeat.js';
import { startPolling } from '../../bot/polling.js';
import {
  ConflictGiveUpError,
  LockLostError,
  TokenRejectedError,
  UpdateNotHandledError,
  describeTelegramError,
  isTokenRejected,
} from '../../bot/runtime-errors.js';
import type { Config } from '../../config/config.js';
import { createStore, DatabaseUnavailableError, openDb, writeHeartbeat, type Db } from '../../db/index.js';
import { createReadModels } from '../../db/read-models/index.js';
import { loadTextRenderer } from '../../paywall/texts/renderer.js';
import { createPaywallDeps } from '../paywall-deps.js';
import { acquireInstanceLock, LockHeldError, type InstanceLock } from '../../lock/instance-lock.js';
import type { Logger } from '../../log/logger.js';
import { EXIT, ExitError, UsageError } from '../errors.js';

/** Flags of `paywall bot`. */
export interface BotOptions {
  wait?: boolean;
  deleteWebhook?: boolean;
}

/** The token, or exit 2 saying how to set it. */
export function requireToken(config: Config): string {
  if (config.webhookUrl) {
    throw new UsageError(
      'WEBHOOK_URL is set, so updates arrive by webhook and there must be no poller.',
      'Unset WEBHOOK_URL to use long polling with `paywall bot`.',
    );
  }
  if (!config.token) {
    throw new UsageError('TELEGRAM_BOT_TOKEN is not set: the bot cannot start without it.', 'Set it in the environment or in .env: TELEGRAM_BOT_TOKEN=123456789:AAE-your-token-from-BotFather');
  }
  return config.token;
}

async function openDatabaseForBot(config: Config, logger: Logger): Promise<Db> {
  try {
    return await openDb(config, logger);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw new ExitError(EXIT.FAILURE, err.message, 'Check DATABASE_URL and that the database server is running; the bot will be restarted by `paywall all`.');
    throw err;
  }
}

async function validateToken(api: Api): Promise<UserFromGetMe> {
  try {
    return await api.getMe();
  } catch (err) {
    if (isTokenRejected(err)) throw new TokenRejectedError();
    throw new ExitError(EXIT.FAILURE, `Could not reach the Telegram Bot API: ${describeTelegramError(err)}.`, 'Check the network and TELEGRAM_API_ROOT.');
  }
}

async function checkWebhook(api: Api, deleteWebhook: boolean, logger: Logger): Promise<void> {
  const info = await api.getWebhookInfo();
  if (!info.url) return;
  let host = 'an unknown host';
  try { host = new URL(info.url).host; } catch { /* keep the vague name */ }
  if (!deleteWebhook) {
    throw new ExitError(
      EXIT.CONFLICT,
      `A webhook is set for this bot (to ${host}), so it cannot poll for updates; the webhook was left in place.`,
      'If that deployment is gone, run `paywall bot --delete-webhook` to remove the webhook and poll instead.',
    );
  }
  await api.deleteWebhook({ drop_pending_updates: false });
  logger.info({ host }, 'Deleted the webhook (--delete-webhook): switching to long polling');
}

async function takeLock(config: Config, logger: Logger, wait: boolean, signal: AbortSignal, onLost: (err: Error) => void): Promise<InstanceLock> {
  try {
    const lock = await acquireInstanceLock({ lockDir: config.lockDir, tokenHash: config.tokenHash!, logger, wait, signal, onCompromised: onLost });
    logger.info({ lock: lock.lockPath }, 'Took the instance lock for this token');
    return lock;
  } catch (err) {
    if (err instanceof LockHeldError) {
      throw new ExitError(EXIT.LOCKED, err.message, 'Only one bot may consume updates per token. Stop the other one, or start this one with --wait to take over when it stops.');
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
      throw new UsageError(`The lock directory ${config.lockDir} cannot be used (${code}).`, 'Point PAYWALL_LOCK_DIR (or --lock-dir) at a writable directory shared by every paywall process of this host.');
    }
    throw err;
  }
}

/** Runs the bot until `signal` aborts; resolves with the exit code. */
export async function runBot(config: Config, logger: Logger, options: BotOptions, signal: AbortSignal): Promise<number> {
  const token = requireToken(config);
  const db = await openDatabaseForBot(config, logger);
  let heartbeat: Heartbeat | undefined;
  let lock: InstanceLock | undefined;
  let runtime: BotRuntime | undefined;
  try {
    const api = createApiClient(token, config.apiRoot);
    const botInfo = await validateToken(api);
    logger.info({ bot: `@${botInfo.username}`, botId: botInfo.id }, 'Token accepted by Telegram');
    const lost = new AbortController();
    lock = await takeLock(config, logger, options.wait === true, signal, (err) => {
      logger.error(`The instance lock was lost: ${err.message}. Stopping update consumption now.`);
      lost.abort(new LockLostError(err));
    });
    signal.throwIfAborted();
    await checkWebhook(api, options.deleteWebhook === true, logger);
    const store = createStore(db);
    const paywall = createPaywallDeps(config, store);
    runtime = await startBotRuntime({
      token, apiRoot: config.apiRoot, botInfo, logger, paywall,
      texts: await loadTextRenderer(store.settings),
      stats: async () => ({ ...(await createReadModels(db.knex).stats(new Date())) }),
      graceMs: config.graceMs,
      sweepIntervalMs: config.sweepIntervalMs,
    });
    const live = runtime;
    const hb = startHeartbeat({ mode: 'polling', logger, write: (record) => writeHeartbeat(db, botInfo.id, record) });
    heartbeat = hb;
    const poller = startPolling({
      api: live.bot.bot.api,
      logger,
      conflictGiveUpMs: config.conflictGiveupMs,
      handle: async (update) => {
        try {
          await live.handleUpdate(update);
        } catch (err) {
          const cause = err instanceof Error && 'error' in err ? (err as { error: unknown }).error : err;
          // A payment that could not be recorded stays unconfirmed: the poller retries it after a backoff.
          if (cause instanceof UpdateNotHandledError) throw cause;
          logger.error({ updateId: update.update_id }, `Handling an update failed: ${describeTelegramError(err)}`);
        }
      },
      onPoll: () => hb.markPoll(),
      onConflictEpisode: () => hb.markConflictEpisode(),
    });
    logger.info('Polling for updates');
    const stopReason = await Promise.race([
      poller.done.then(() => undefined),
      new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true })),
      new Promise<unknown>((resolve) => lost.signal.addEventListener('abort', () => resolve(lost.signal.reason), { once: true })),
    ]);
    await poller.stop();
    if (stopReason instanceof LockLostError) throw new ExitError(EXIT.FAILURE, stopReason.message);
    logger.info('Stopped polling; offset confirmed');
    return EXIT.OK;
  } catch (err) {
    // Stopped while still starting (e.g. SIGTERM while waiting for the lock): a clean exit.
    if (signal.aborted && !(err instanceof ExitError) && !(err instanceof TokenRejectedError)) return EXIT.OK;
    throw mapRuntimeError(err);
  } finally {
    await stopWithin(runtime, logger);
    await heartbeat?.stop();
    await lock?.release();
    await db.close().catch(() => undefined);
  }
}

const RUNTIME_STOP_MS = 8_000;

/** Stops jobs and the sweeper, bounded: a job stuck on a long retry must not hold up the exit. */
async function stopWithin(runtime: BotRuntime | undefined, logger: Logger): Promise<void> {
  if (!runtime) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), RUNTIME_STOP_MS); });
  const result = await Promise.race([runtime.stop().then(() => 'stopped' as const), timeout]);
  clearTimeout(timer);
  if (result === 'timeout') logger.warn('Jobs still running at shutdown were left to the next start (they are queued again then)');
}

function mapRuntimeError(err: unknown): unknown {
  if (err instanceof TokenRejectedError) {
    return new ExitError(EXIT.TOKEN_REJECTED, err.message, 'Check TELEGRAM_BOT_TOKEN: copy it again from @BotFather (it may have been revoked).');
  }
  if (err instanceof ConflictGiveUpError) {
    return new ExitError(EXIT.CONFLICT, err.message, 'Stop the other consumer of this token (an old deployment, another host), then start paywall again.');
  }
  return err;
}
