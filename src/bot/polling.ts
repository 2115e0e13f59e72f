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
  /** Before a batch is handled: the updates still to handle (the rest were handled before); may throw to retry the batch later. */
  prepareBatch?: (updates: readonly Update[]) => Promise<Update[]>;
  /** After a batch: the updates handled to the end (recorded so that a redelivery skips them). */
  finishBatch?: (handled: readonly Update[]) => Promise<void>;
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

/** What orders an update among the others: its user (or chat); updates of one key are handled one at a time. */
export function sequenceKey(update: Update): string {
  const user = update.message?.from ?? update.callback_query?.from ?? update.pre_checkout_query?.from ?? update.chat_join_request?.from
    ?? update.my_chat_member?.from ?? update.chat_member?.new_chat_member.user ?? update.edited_message?.from;
  if (user) return `user:${user.id}`;
  const chat = update.message?.chat ?? update.chat_member?.chat ?? update.my_chat_member?.chat;
  return chat ? `chat:${chat.id}` : `update:${update.update_id}`;
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
    // A stop finishes the updates in hand; the rest of the batch stays unconfirmed (see handleBatch).
    await handleBatch(updates);
  }

  /**
   * Handles a batch: each user's updates in order, different users' at once.
   * The offset moves past the whole batch, or, when an update fails or a stop
   * leaves some unhandled, only up to the first of those (it and the batch's
   * later updates come again; those already handled are recognised then and
   * skipped, see features/once.ts).
   */
  async function handleBatch(updates: Update[]): Promise<void> {
    if (updates.length === 0) return;
    const todo = options.prepareBatch ? await options.prepareBatch(updates) : updates;
    // Updates the batch skipped (handled before) count as handled for the offset.
    const handled = new Set<number>(updates.filter((u) => !todo.includes(u)).map((u) => u.update_id));
    const queues = new Map<string, Update[]>();
    for (const update of todo) {
      const key = sequenceKey(update);
      const queue = queues.get(key);
      if (queue) queue.push(update);
      else queues.set(key, [update]);
    }
    let failed: { updateId: number; err: unknown } | undefined;
    const done: Update[] = [];
    await Promise.all([...queues.values()].map(async (queue) => {
      for (const update of queue) {
        // A stop finishes the updates in hand only: the rest stay unconfirmed for the next consumer.
        if (stopController.signal.aborted) return;
        try {
          await options.handle(update);
          handled.add(update.update_id);
          done.push(update);
        } catch (err) {
          if (!failed || update.update_id < failed.updateId) failed = { updateId: update.update_id, err };
          return;
        }
      }
    }));
    if (options.finishBatch && done.length > 0) {
      await options.finishBatch(done).catch((err: unknown) => {
        // The offset below still moves past them: only a crash before it is confirmed could bring them back.
        options.logger.warn(`Could not record the handled updates: ${describeTelegramError(err)}`);
      });
    }
    // Confirm up to the first update not handled (failed, or left at a stop); handled ones after it come again and are skipped.
    const firstLeft = updates.find((u) => !handled.has(u.update_id));
    offset = Math.max(offset, firstLeft ? firstLeft.update_id : updates[updates.length - 1]!.update_id + 1);
    if (failed) throw failed.err;
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
