/**
 * The polling bot once this host's instance lock is held: the database, the
 * token checked with Telegram, the database lease (PostgreSQL), the webhook
 * check, the runtime, and polling while both are held, until told to stop.
 * Loaded by `paywall bot` only after the lock is taken, so that a refused
 * second instance never loads any of this.
 */
import { hostname } from 'node:os';
import type { Api } from 'grammy';
import { createBatchInbox } from '../bot/batch-inbox.js';
import { createApiClient } from '../bot/create-bot.js';
import type { Heartbeat } from '../bot/heartbeat.js';
import { startPolling, type Poller } from '../bot/polling.js';
import { startStallWatch, type RuntimeHealth, type StallWatch } from '../bot/stall-watch.js';
import type { BotRuntime } from '../bot/runtime.js';
import { TokenRejectedError, UpdateNotHandledError, describeTelegramError } from '../bot/runtime-errors.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { acquireConsumerGuard, type ConsumerGuard, type HeldLock } from './consumer-guard.js';
import { EXIT, ExitError } from './errors.js';
import { mapRuntimeError, openDatabaseForBot, startRuntimeFor, startRuntimeHeartbeat, stopWithin, validateToken } from './runtime-host.js';

/** Flags that matter once the lock is held. */
export interface PollingBotOptions {
  wait: boolean;
  deleteWebhook: boolean;
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

/**
 * Polls while the guard holds: a lost lease stops the poller at once (the
 * update in hand is finished) and a regained one starts a new poller. Resolves
 * when `signal` aborts; rejects when the lock is lost or the poller fails for
 * good (a rejected token, a conflict past the give-up time).
 */
function pollWhileHeld(runtime: BotRuntime, guard: ConsumerGuard, heartbeat: Heartbeat, config: Config, logger: Logger, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let poller: Poller | undefined;
    // While paused (the lease lost) there is no poller: the last health seen, which ages into a stall.
    let lastHealth: RuntimeHealth = { lastPollAt: Date.now(), conflictSince: null };
    const inbox = createBatchInbox(runtime.paywall, logger);
    const stallWatch = watchForStalls(runtime, () => (poller ? (lastHealth = poller.health()) : lastHealth), logger);
    let finished = false;
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      const last = poller;
      poller = undefined;
      void (last ? last.stop() : Promise.resolve()).then(() => stallWatch.stop()).then(() => (err === undefined ? resolve() : reject(err)));
    };
    const start = () => {
      if (finished || poller) return;
      const started = startPolling({
        api: runtime.bot.bot.api,
        logger,
        conflictGiveUpMs: config.conflictGiveupMs,
        handle: async (update) => {
          try {
            await runtime.handleUpdate(update);
          } catch (err) {
            const cause = err instanceof Error && 'error' in err ? (err as { error: unknown }).error : err;
            // A payment that could not be recorded stays unconfirmed: the poller retries it after a backoff.
            if (cause instanceof UpdateNotHandledError) throw cause;
            logger.error({ updateId: update.update_id }, `Handling an update failed: ${describeTelegramError(err)}`);
          }
        },
        inbox,
        onPoll: () => heartbeat.markPoll(),
        onConflictEpisode: () => heartbeat.markConflictEpisode(),
      });
      poller = started;
      started.done.catch((err: unknown) => { if (poller === started) finish(err); });
      logger.info('Polling for updates');
    };
    guard.onChange((holds) => {
      if (holds) return start();
      const paused = poller;
      poller = undefined;
      void paused?.stop();
    });
    signal.addEventListener('abort', () => finish(), { once: true });
    guard.lost.addEventListener('abort', () => finish(guard.lost.reason), { once: true });
    if (signal.aborted) finish();
    else if (guard.lost.aborted) finish(guard.lost.reason);
    else if (guard.holds()) start();
  });
}

/**
 * Tells the admins (ADMIN_USER_IDS, through an admin_notice job) when the
 * runtime stops receiving updates (no successful poll for 2 minutes, or a
 * 409 episode past a minute), and again when it recovers.
 */
function watchForStalls(runtime: BotRuntime, health: () => RuntimeHealth, logger: Logger): StallWatch {
  const host = hostname();
  const { paywall, botId } = runtime;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const notify = async (key: string, params: Record<string, string | null>, dedupeKey: string) => {
    await paywall.store.jobs.enqueue({ type: 'admin_notice', payload: { key, params }, dedupeKey }, paywall.clock.now());
    runtime.wakeJobs();
  };
  return startStallWatch({
    health,
    logger,
    onStall: (stall) => notify(
      stall.reason === 'conflict' ? 'admin.runtime_conflict' : 'admin.runtime_stalled',
      { host, since: iso(stall.reason === 'conflict' ? stall.since : stall.lastPollAt) },
      `admin:stalled:${botId}:${stall.since}`,
    ),
    onRecovered: ({ stall }) => notify('admin.runtime_recovered', { host, since: iso(stall.since) }, `admin:recovered:${botId}:${stall.since}`),
  });
}

/** Runs the polling bot with `held` (this host's lock) until `signal` aborts; resolves with the exit code. */
export async function runPollingBot(config: Config, logger: Logger, options: PollingBotOptions, signal: AbortSignal, held: HeldLock): Promise<number> {
  let heartbeat: Heartbeat | undefined;
  let guard: ConsumerGuard | undefined;
  let runtime: BotRuntime | undefined;
  let db: Awaited<ReturnType<typeof openDatabaseForBot>> | undefined;
  try {
    db = await openDatabaseForBot(config, logger);
    const api = createApiClient(config.token!, config.apiRoot);
    const botInfo = await validateToken(api);
    logger.info({ bot: `@${botInfo.username}`, botId: botInfo.id }, 'Token accepted by Telegram');
    guard = await acquireConsumerGuard({ config, logger, wait: options.wait, signal }, held);
    signal.throwIfAborted();
    await checkWebhook(api, options.deleteWebhook, logger);
    runtime = await startRuntimeFor(config, db, botInfo, logger);
    heartbeat = startRuntimeHeartbeat(db, botInfo.id, 'polling', logger);
    await pollWhileHeld(runtime, guard, heartbeat, config, logger, signal);
    logger.info('Stopped polling; offset confirmed');
    return EXIT.OK;
  } catch (err) {
    // Stopped while still starting (e.g. SIGTERM while waiting for the lease): a clean exit.
    if (signal.aborted && !(err instanceof ExitError) && !(err instanceof TokenRejectedError)) return EXIT.OK;
    throw mapRuntimeError(err);
  } finally {
    await stopWithin(runtime, logger);
    await heartbeat?.stop();
    // The guard releases the lease and the lock; without one (a failure before it), the lock is released here.
    if (guard) await guard.release();
    else await held.lock.release();
    await db?.close().catch(() => undefined);
  }
}
