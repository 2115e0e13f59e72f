/**
 * Telegram's sending limits, confined to sending methods (chat management such
 * as approveChatJoinRequest or banChatMember is never held back):
 * - every send: at most 1 per second per chat (an API transformer, so replies
 *   made with ctx.reply are covered too);
 * - bulk sends (broadcasts, reminders, notices): about 30 per second overall,
 *   applied by the gateway around those calls only, so replies skip it;
 * - 429 `retry_after` honoured on every method but getUpdates (auto-retry).
 * Bottleneck spaces the bulk sends, per-chat-spacer.ts the sends into each
 * chat. grammY's throttler would hold joins and bans to the group rate too,
 * because it throttles every call with a chat_id.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { autoRetry } from '@grammyjs/auto-retry';
import Bottleneck from 'bottleneck';
import { HttpError, type Api, type Transformer } from 'grammy';
import { createPerChatSpacer } from './per-chat-spacer.js';

/** Methods that send a message into a chat. */
export const SENDING_METHODS: ReadonlySet<string> = new Set([
  'sendMessage', 'sendInvoice', 'sendPhoto', 'sendDocument', 'sendVideo', 'sendAnimation', 'sendAudio',
  'sendVoice', 'sendSticker', 'sendMediaGroup', 'sendLocation', 'sendContact', 'sendPoll', 'sendDice',
  'copyMessage', 'copyMessages', 'forwardMessage', 'forwardMessages',
]);

/**
 * A payload key (a symbol: never serialised) for a hook the request runs once the
 * limits have let it go, right before it leaves (see TelegramGateway.sendMessage).
 * Such requests go one at a time, from the hook to Telegram's answer: a crash then
 * cuts at most one of them between its hook (a checkpoint) and Telegram.
 */
export const BEFORE_SEND: unique symbol = Symbol('paywall.beforeSend');

/**
 * Waits before retrying a 5xx or a connection error: short, because replies
 * are awaited by the update being handled (auto-retry starts at 3 s, doubling).
 */
export const TRANSIENT_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1_000, 2_000, 4_000];

/** Retries a call Telegram answered with a 5xx, or that failed on the network, after TRANSIENT_RETRY_DELAYS_MS. */
const transientRetry: Transformer = async (prev, method, payload, signal) => {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= TRANSIENT_RETRY_DELAYS_MS.length;
    try {
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code < 500 || last) return result;
    } catch (err) {
      if (!(err instanceof HttpError) || last || (signal as AbortSignal | undefined)?.aborted) throw err;
    }
    await sleep(TRANSIENT_RETRY_DELAYS_MS[attempt], undefined, signal ? { signal: signal as AbortSignal } : {});
  }
};

/** Limits for one bot. */
export interface SendLimits {
  /** Runs a bulk send within the overall bulk rate. */
  bulk<T>(send: () => Promise<T>): Promise<T>;
  /** Drops pending work (at shutdown). */
  stop(): Promise<void>;
}

/** Options; the defaults are Telegram's documented limits. */
export interface SendLimitOptions {
  bulkPerSecond?: number;
  perChatIntervalMs?: number;
}

/** Installs the per-chat limit and auto-retry on `api`, and returns the bulk limiter. */
export function installSendLimits(api: Api, options: SendLimitOptions = {}): SendLimits {
  const perChat = createPerChatSpacer(options.perChatIntervalMs ?? 1_000);
  const perSecond = options.bulkPerSecond ?? 30;
  // Evenly spaced, not a burst per second: Telegram counts over a sliding second, so bursts earn 429s.
  const bulk = new Bottleneck({ minTime: Math.ceil(1_000 / perSecond) });
  const perChatTransformer: Transformer = (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (!SENDING_METHODS.has(method) || chatId === undefined) return prev(method, payload, signal);
    return perChat(String(chatId), () => prev(method, payload, signal));
  };
  // auto-retry honours 429 retry_after only; transientRetry handles 5xx and connection errors.
  const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: true, rethrowHttpErrors: true });
  const retryTransformer: Transformer = (prev, method, payload, signal) =>
    method === 'getUpdates' ? prev(method, payload, signal) : retry(prev, method, payload, signal);
  const transientTransformer: Transformer = (prev, method, payload, signal) =>
    method === 'getUpdates' ? prev(method, payload, signal) : transientRetry(prev, method, payload, signal);
  // One checkpointed request at a time (bottleneck as a mutex): several at once could all be cut by one crash.
  const checkpointed = new Bottleneck({ maxConcurrent: 1 });
  const beforeSendTransformer: Transformer = (prev, method, payload, signal) => {
    const hook = (payload as { [BEFORE_SEND]?: unknown } | undefined)?.[BEFORE_SEND];
    if (typeof hook !== 'function') return prev(method, payload, signal);
    return checkpointed.schedule(async () => {
      await (hook as () => Promise<void>)();
      return prev(method, payload, signal);
    });
  };
  // Installed last runs first: a retried call goes through the per-chat limit again, then the hook.
  api.config.use(beforeSendTransformer);
  api.config.use(transientTransformer);
  api.config.use(perChatTransformer);
  api.config.use(retryTransformer);
  return {
    bulk: (send) => bulk.schedule(send),
    async stop() {
      await Promise.all([bulk, checkpointed].map((limiter) => limiter.stop({ dropWaitingJobs: true }).catch(() => undefined)));
    },
  };
}
