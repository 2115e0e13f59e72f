/**
 * Our own long-polling loop over grammY's `api.getUpdates`. grammY's
 * `bot.start()` deletes webhooks by itself and rethrows 401 and 409, stopping
 * the poll; this loop keeps a set webhook alone, survives 409 episodes, and
 * confirms the offset of handled updates when it stops.
 */
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { createConflictTracker, type ConflictTracker } from './conflict-tracker.js';
import type { RuntimeHealth } from './stall-watch.js';
import {
  ConflictGiveUpError,
  TokenRejectedError,
  describeTelegramError,
  isTokenRejected,
  retryAfterSeconds,
  telegramErrorCode,
} from './runtime-errors.js';

// grammY's Node build types its signals with the abort-controller package; the built-in one works at run time.
type GrammySignal = Parameters<Api['getUpdates']>[1];

/** Update types the runtime asks for; the list replaces the previous one at Telegram. */
export const ALLOWED_UPDATES = Object.freeze([
  'message',
  'callback_query',
  'pre_checkout_query',
  'chat_join_request',
  'my_chat_member',
  'chat_member',
] as const);

/** What the poller needs. */
export interface PollerOptions {
  api: Api;
  handle: (update: Update) => Promise<void>;
  logger: Logger;
  conflictGiveUpMs: number;
  timeoutSeconds?: number;
  /** Called after every getUpdates that Telegram answered normally. */
  onPoll?: () => void;
  onConflictEpisode?: () => void;
}

/** A running poller. */
export interface Poller {
  /** Resolves when stopped; rejects with TokenRejectedError or ConflictGiveUpError. */
  readonly done: Promise<void>;
  readonly conflicts: ConflictTracker;
  /** When a poll last succeeded and since when a 409 episode has lasted: what a stall watch reads. */
  health(): RuntimeHealth;
  /** Stops polling: finishes the update in hand, confirms the offset. */
  stop(): Promise<void>;
}

function interruptibleSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** Starts polling at once. */
export function startPolling(options: PollerOptions): Poller {
  const stopController = new AbortController();
  const timeout = options.timeoutSeconds ?? 30;
  const conflicts = createConflictTracker({
    logger: options.logger,
    giveUpMs: options.conflictGiveUpMs,
    longPollMs: timeout * 1000,
    onEpisodeStart: options.onConflictEpisode,
  });
  let offset = 0;
  let lastPollAt: number | null = null;
  let networkFailures = 0;

  async function pollOnce(): Promise<void> {
    conflicts.onPollStarted();
    const updates = await options.api.getUpdates(
      { offset, limit: 100, timeout, allowed_updates: [...ALLOWED_UPDATES] },
      stopController.signal as GrammySignal,
    );
    networkFailures = 0;
    lastPollAt = Date.now();
    conflicts.onSuccess();
    options.onPoll?.();
    for (const update of updates) {
      // Updates of a batch already fetched are finished even when a stop comes in between.
      await options.handle(update);
      offset = update.update_id + 1;
    }
  }

  async function onError(err: unknown): Promise<void> {
    if (isTokenRejected(err)) throw new TokenRejectedError();
    const code = telegramErrorCode(err);
    if (code === 409) {
      const webhook = describeTelegramError(err).includes('webhook');
      const decision = conflicts.onConflict(webhook);
      if (decision.giveUp) throw new ConflictGiveUpError(decision.reason);
      return interruptibleSleep(decision.delayMs, stopController.signal);
    }
    const retryAfter = retryAfterSeconds(err);
    if (retryAfter !== undefined) {
      options.logger.warn({ retryAfter }, 'Telegram asked us to slow down (429): waiting');
      return interruptibleSleep(retryAfter * 1000, stopController.signal);
    }
    networkFailures += 1;
    // Also reached when an update could not be handled (its offset stays unconfirmed): same backoff.
    const delay = Math.min(30_000, 500 * 2 ** Math.min(networkFailures - 1, 6));
    if (networkFailures === 1 || networkFailures % 10 === 0) {
      options.logger.warn({ failures: networkFailures, retryInMs: delay }, `getUpdates failed: ${describeTelegramError(err)}; retrying`);
    }
    return interruptibleSleep(delay, stopController.signal);
  }

  async function confirmOffset(): Promise<void> {
    if (offset === 0) return;
    try {
      await options.api.getUpdates({ offset, limit: 1, timeout: 0 }, AbortSignal.timeout(5_000) as GrammySignal);
      options.logger.debug({ offset }, 'Confirmed the offset of handled updates');
    } catch (err) {
      options.logger.warn(`Could not confirm the update offset (${describeTelegramError(err)}); unconfirmed updates will be delivered again`);
    }
  }

  async function loop(): Promise<void> {
    while (!stopController.signal.aborted) {
      try {
        await pollOnce();
      } catch (err) {
        if (stopController.signal.aborted) break;
        await onError(err);
      }
    }
    await confirmOffset();
  }

  const done = loop();
  done.catch(() => undefined);
  return {
    done,
    conflicts,
    health: () => ({ lastPollAt, conflictSince: conflicts.current()?.startedAt ?? null }),
    async stop() {
      stopController.abort();
      await done.catch(() => undefined);
    },
  };
}
