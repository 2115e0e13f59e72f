/**
 * Our own long-polling loop over grammY's `api.getUpdates`. grammY's
 * `bot.start()` deletes webhooks by itself and rethrows 401 and 409, stopping
 * the poll; this loop keeps a set webhook alone, survives 409 episodes, and
 * confirms the offset when it stops. With an inbox (the bot's, in the
 * database) it fetches ahead: each batch is kept before its offset moves, so
 * a pre-checkout query need not wait for the batch before it to be handled.
 */
import type { Api } from 'grammy';
import pLimit from 'p-limit';
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

/**
 * Where a poller keeps each batch before confirming its offset (batch-inbox.ts).
 * With one, the next batch is fetched while this one is handled: the offset
 * moves past a batch as soon as it is kept, and what a crash, a stop or a
 * failure leaves unhandled is taken from the inbox again.
 */
export interface PollerInbox {
  /**
   * Of polled (or pending) updates, those still to handle, kept in the inbox
   * before this resolves; may throw (the batch comes again). `fresh` says
   * none can have been seen before (fetched right after a batch this poller
   * kept, with no failure between), so the check for handled ones is skipped.
   */
  prepare(updates: readonly Update[], fresh: boolean): Promise<Update[]>;
  /** After handling: records the updates handled to the end and releases them from the inbox. */
  finish(handled: readonly Update[]): Promise<void>;
  /** Updates kept and not released yet, oldest first. */
  pending(limit: number): Promise<Update[]>;
  /**
   * Of a polled batch, those to handle at once, before the batch is kept and
   * apart from their sender's other updates: read-only answers that are
   * harmless to repeat (pre-checkout queries, which a payer waits for).
   */
  early?(updates: readonly Update[]): Update[];
}

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
  /** Without one, each batch is handled before the next is fetched, and its offset confirmed only up to what was handled. */
  inbox?: PollerInbox;
  /** With an inbox: how many updates may be in hand (fetched, not yet finished) before fetching waits. */
  maxInHand?: number;
  /** How many updates are handled at once (each user's still one at a time); early ones are not counted. */
  maxHandling?: number;
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
    // The listener goes with the sleep: a long 409 episode must not pile them up on the signal.
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
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

/** Pre-checkout queries go first among a batch's users: Telegram waits 10 s for their answer, the payer less. */
function urgentFirst(queues: Map<string, Update[]>): Update[][] {
  const all = [...queues.values()];
  const urgent = (queue: Update[]) => queue.some((u) => u.pre_checkout_query !== undefined);
  return [...all.filter(urgent), ...all.filter((queue) => !urgent(queue))];
}

/** Handled batches settle into one record (and inbox release) this often at most. */
const FINISH_EVERY_MS = 20;

/** Updates waiting for the next record: those handled, and all to release from the hand after it. */
interface PendingFinish {
  done: Update[];
  held: Update[];
  flushed: Promise<void>;
}

/** What became of a dispatched batch: the updates handled to the end, and the first failure. */
interface BatchOutcome {
  done: Update[];
  failed?: { updateId: number; err: unknown };
}

/** Starts polling at once. */
export function startPolling(options: PollerOptions): Poller {
  const stopController = new AbortController();
  const stopped = stopController.signal;
  const timeout = options.timeoutSeconds ?? 30;
  const conflicts = createConflictTracker({
    logger: options.logger,
    giveUpMs: options.conflictGiveUpMs,
    longPollMs: timeout * 1000,
    onEpisodeStart: options.onConflictEpisode,
  });
  const inbox = options.inbox;
  // Fetching far ahead moves a backlog from Telegram's queue into ours, where a pre-checkout can pass it (`early`).
  const maxInHand = options.maxInHand ?? 5_000;
  // A bounded number handled at once, in the order fetched: thousands at once would each wait on all the others.
  const handling = pLimit(options.maxHandling ?? 200);
  let offset = 0;
  let lastPollAt: number | null = null;
  let networkFailures = 0;

  // Each sequence key's last dispatched update: its next one starts after it (true when it was handled).
  const tails = new Map<string, Promise<boolean>>();
  // Keys with a failed update: their later updates are left (in the inbox) until the redrive, to keep their order.
  const blocked = new Set<string>();
  // Ids dispatched and not yet finished: never dispatched twice at once, and what limits fetching ahead.
  const inHand = new Set<number>();
  const batches = new Set<Promise<void>>();
  let roomWaiters: Array<() => void> = [];
  let leftBehindBlocked = false;
  let redriveTimer: NodeJS.Timeout | undefined;
  let nextFinish: PendingFinish | undefined;
  // Whether the next batch can hold nothing seen before: false at the start and after any failed poll.
  let nextIsFresh = false;
  let handlingFailures = 0;

  /** Starts handling `updates`: each key's updates in order after its earlier ones, different keys at once. */
  function dispatch(updates: readonly Update[], keyOf: (update: Update) => string = sequenceKey, limited = true): Promise<BatchOutcome> {
    const queues = new Map<string, Update[]>();
    for (const update of updates) {
      const key = keyOf(update);
      const queue = queues.get(key);
      if (queue) queue.push(update);
      else queues.set(key, [update]);
    }
    const outcome: BatchOutcome = { done: [] };
    const runs: Promise<boolean>[] = [];
    for (const queue of urgentFirst(queues)) {
      const key = keyOf(queue[0]!);
      for (const update of queue) {
        inHand.add(update.update_id);
        const run = (tails.get(key) ?? Promise.resolve(true)).then(async (previousHandled) => {
          // A stop finishes the updates in hand only; after a failure the key's later updates wait.
          if (!previousHandled || stopped.aborted) return false;
          if (blocked.has(key)) {
            leftBehindBlocked = true;
            return false;
          }
          // Waiting for a place is not being in hand: a stop that comes meanwhile leaves the update for later.
          const handleNow = async () => {
            if (stopped.aborted) return false;
            await options.handle(update);
            return true;
          };
          try {
            if (!(await (limited ? handling(handleNow) : handleNow()))) return false;
            outcome.done.push(update);
            return true;
          } catch (err) {
            blocked.add(key);
            if (!outcome.failed || update.update_id < outcome.failed.updateId) outcome.failed = { updateId: update.update_id, err };
            return false;
          }
        });
        tails.set(key, run);
        void run.then(() => { if (tails.get(key) === run) tails.delete(key); });
        runs.push(run);
      }
    }
    return Promise.all(runs).then(() => outcome);
  }

  function release(updates: readonly Update[]): void {
    for (const update of updates) inHand.delete(update.update_id);
    if (inHand.size < maxInHand) {
      const waiters = roomWaiters;
      roomWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /**
   * With an inbox: handles `todo` (kept) in the background, finishing it when
   * its last update settles, together with `started` (its early updates).
   */
  function launch(todo: Update[], started?: { updates: Update[]; outcome: Promise<BatchOutcome> }): void {
    if (todo.length === 0 && !started) return;
    const outcomes = [dispatch(todo), ...(started ? [started.outcome] : [])];
    const all = started ? [...todo, ...started.updates] : todo;
    const batch = Promise.all(outcomes).then(async (settled) => {
      const done = settled.flatMap((o) => o.done);
      const failed = settled.map((o) => o.failed).filter((f) => f !== undefined).sort((a, b) => a.updateId - b.updateId)[0];
      if (failed) scheduleRedrive(failed.err);
      else handlingFailures = 0;
      await finishSoon(done, all);
    });
    batches.add(batch);
    void batch.finally(() => batches.delete(batch));
  }

  /**
   * Records handled updates and releases them from the inbox together with
   * those of other batches settling within FINISH_EVERY_MS (two statements
   * per flush, not per batch); `held` leave the hand after it.
   */
  function finishSoon(done: Update[], held: Update[]): Promise<void> {
    if (!nextFinish) {
      const flush: PendingFinish = { done: [], held: [], flushed: Promise.resolve() };
      flush.flushed = new Promise<void>((resolve) => setTimeout(resolve, FINISH_EVERY_MS)).then(async () => {
        nextFinish = undefined;
        // Left in the inbox when this fails: handled again at the next start (at least once).
        if (flush.done.length > 0) {
          await inbox!.finish(flush.done).catch((err: unknown) => {
            options.logger.warn(`Could not record the handled updates: ${describeTelegramError(err)}`);
          });
        }
        release(flush.held);
      });
      nextFinish = flush;
    }
    nextFinish.done.push(...done);
    nextFinish.held.push(...held);
    return nextFinish.flushed;
  }

  /** After a failure: the updates left in the inbox are taken again after a backoff. */
  function scheduleRedrive(err: unknown, delayMs?: number): void {
    if (redriveTimer || stopped.aborted) return;
    let delay = delayMs;
    if (delay === undefined) {
      handlingFailures += 1;
      delay = Math.min(30_000, 500 * 2 ** Math.min(handlingFailures - 1, 6));
      if (handlingFailures === 1 || handlingFailures % 10 === 0) {
        options.logger.warn({ failures: handlingFailures, retryInMs: delay }, `An update could not be handled (${describeTelegramError(err)}); it stays in the inbox and is tried again`);
      }
    }
    redriveTimer = setTimeout(() => {
      redriveTimer = undefined;
      void redrive().catch((error: unknown) => scheduleRedrive(error));
    }, delay);
  }

  /** Takes the updates kept in the inbox and not in hand (left by a crash, a stop or a failure), oldest first. */
  async function redrive(): Promise<void> {
    if (stopped.aborted) return;
    leftBehindBlocked = false;
    const kept = (await inbox!.pending(maxInHand)).filter((u) => !inHand.has(u.update_id));
    // In hand from now on: a redrive scheduled meanwhile must not take them too.
    for (const update of kept) inHand.add(update.update_id);
    let todo: Update[];
    try {
      todo = kept.length > 0 ? await inbox!.prepare(kept, false) : [];
    } catch (err) {
      release(kept);
      throw err;
    }
    if (stopped.aborted) {
      release(kept);
      return;
    }
    blocked.clear();
    if (todo.length > 0) options.logger.info({ updates: todo.length }, 'Handling the updates left in the inbox');
    // Those handled before left the inbox in prepare; the rest leave the hand once finished.
    const toHandle = new Set(todo);
    release(kept.filter((u) => !toHandle.has(u)));
    launch(todo);
    // Updates of a blocked key that arrived meanwhile were left behind: take them too.
    if (leftBehindBlocked) scheduleRedrive(undefined, 0);
  }

  async function roomToFetch(): Promise<void> {
    while (inHand.size >= maxInHand && !stopped.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stopped.removeEventListener('abort', done);
          resolve();
        };
        roomWaiters.push(done);
        stopped.addEventListener('abort', done, { once: true });
      });
    }
  }

  async function pollOnce(): Promise<void> {
    if (inbox) await roomToFetch();
    if (stopped.aborted) return;
    conflicts.onPollStarted();
    const updates = await options.api.getUpdates(
      { offset, limit: 100, timeout, allowed_updates: [...ALLOWED_UPDATES] },
      stopped as GrammySignal,
    );
    networkFailures = 0;
    lastPollAt = Date.now();
    conflicts.onSuccess();
    options.onPoll?.();
    if (updates.length === 0) return;
    if (inbox) {
      // Answers a payer waits for start now; each on its own, not behind its sender's other updates.
      const early = inbox.early?.(updates) ?? [];
      const started = early.length > 0 ? { updates: early, outcome: dispatch(early, (u) => `early:${u.update_id}`, false) } : undefined;
      // Kept before the offset moves past them: the next getUpdates confirms them to Telegram.
      let todo: Update[];
      try {
        todo = await inbox.prepare(updates, nextIsFresh);
        nextIsFresh = true;
      } catch (err) {
        // Not kept: the batch comes again (its early answers, harmless to repeat, too); free their places in hand.
        if (started) void started.outcome.then(() => release(early));
        throw err;
      }
      offset = Math.max(offset, updates[updates.length - 1]!.update_id + 1);
      launch(todo.filter((u) => !early.includes(u)), started);
      return;
    }
    await handleBatch(updates);
  }

  /**
   * Without an inbox: handles a batch before the next is fetched. The offset
   * moves past the whole batch, or, when an update fails or a stop leaves
   * some unhandled, only up to the first of those (it and the batch's later
   * updates come again).
   */
  async function handleBatch(updates: Update[]): Promise<void> {
    blocked.clear();
    const { done, failed } = await dispatch(updates);
    release(updates);
    const handled = new Set(done.map((u) => u.update_id));
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
      return interruptibleSleep(decision.delayMs, stopped);
    }
    const retryAfter = retryAfterSeconds(err);
    if (retryAfter !== undefined) {
      options.logger.warn({ retryAfter }, 'Telegram asked us to slow down (429): waiting');
      return interruptibleSleep(retryAfter * 1000, stopped);
    }
    networkFailures += 1;
    // Also reached when an update could not be handled (its offset stays unconfirmed): same backoff.
    const delay = Math.min(30_000, 500 * 2 ** Math.min(networkFailures - 1, 6));
    if (networkFailures === 1 || networkFailures % 10 === 0) {
      options.logger.warn({ failures: networkFailures, retryInMs: delay }, `getUpdates failed: ${describeTelegramError(err)}; retrying`);
    }
    return interruptibleSleep(delay, stopped);
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
    if (inbox) await redrive().catch((err: unknown) => scheduleRedrive(err));
    while (!stopped.aborted) {
      try {
        await pollOnce();
      } catch (err) {
        nextIsFresh = false;
        if (stopped.aborted) break;
        await onError(err);
      }
    }
    clearTimeout(redriveTimer);
    // The updates in hand are finished (each key's current one; the rest stay in the inbox or unconfirmed).
    while (batches.size > 0) await Promise.all([...batches]);
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
