/**
 * Fault injection: errors queued with failNext, a sliding-window rate limiter
 * over the sending methods (off by default), a delay before every answer, and
 * (chaos.ts) dropped connections and random faults.
 */
import { ApiError, defaultDescription, tooManyRequests } from './api-error.js';
import { createChaos, type Chaos } from './chaos.js';
import type { FailNextOptions, RateLimitOptions } from './types.js';

/** The methods the limiter counts, as Telegram's flood control does. */
export const RATE_LIMITED_METHODS: ReadonlySet<string> = new Set([
  'sendMessage', 'sendInvoice', 'sendPhoto', 'copyMessage', 'forwardMessage', 'editMessageText',
]);

const WINDOW_MS = 1000;

/** The fault settings of one fake. */
export interface Faults extends Chaos {
  failNext(options: FailNextOptions): void;
  /** The queued error for this call, if one matches; each match uses up one of its `times`. */
  takeFault(token: string, method: string): ApiError | undefined;
  setRateLimit(options: RateLimitOptions | undefined): void;
  /** A 429 when this send exceeds the limits; otherwise counts it and returns undefined. */
  checkRateLimit(token: string, method: string, chatId: unknown, now: number): ApiError | undefined;
  setLatency(ms: number): void;
  latency(): number;
}

interface QueuedFault {
  method: string | undefined;
  token: string | undefined;
  remaining: number;
  error: ApiError;
}

function positiveInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TypeError(`fake-telegram: ${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Fresh settings: no faults, no limit, no latency. */
export function createFaults(): Faults {
  const queue: QueuedFault[] = [];
  let limit: RateLimitOptions | undefined;
  let latency = 0;
  const windows = new Map<string, number[]>();

  /** Timestamps in the window for `key`, pruned; undefined limit means no check. */
  const exceeded = (key: string, perSecond: number | undefined, now: number): number | undefined => {
    if (perSecond === undefined) return undefined;
    const times = (windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    windows.set(key, times);
    if (times.length < perSecond) return undefined;
    return Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000));
  };

  return {
    ...createChaos(),
    failNext(options) {
      const errorCode = positiveInteger(options.errorCode, 'errorCode', 400);
      const retryAfter = options.retryAfter === undefined ? undefined : positiveInteger(options.retryAfter, 'retryAfter', 1);
      const description = options.description ?? defaultDescription(errorCode, retryAfter);
      const error = new ApiError(errorCode, description, retryAfter === undefined ? undefined : { retry_after: retryAfter });
      const remaining = positiveInteger(options.times ?? 1, 'times', 1);
      queue.push({ method: options.method?.toLowerCase(), token: options.token, remaining, error });
    },
    takeFault(token, method) {
      const index = queue.findIndex((f) => (f.method === undefined || f.method === method.toLowerCase()) && (f.token === undefined || f.token === token));
      if (index === -1) return undefined;
      const fault = queue[index]!;
      if (--fault.remaining === 0) queue.splice(index, 1);
      return fault.error;
    },
    setRateLimit(options) {
      if (options !== undefined) {
        positiveInteger(options.perSecond, 'perSecond', 1);
        if (options.perChatPerSecond !== undefined) positiveInteger(options.perChatPerSecond, 'perChatPerSecond', 1);
      }
      limit = options;
      windows.clear();
    },
    checkRateLimit(token, method, chatId, now) {
      if (!limit || !RATE_LIMITED_METHODS.has(method)) return undefined;
      const botKey = token;
      const chatKey = `${token}\u0000${String(chatId)}`;
      const wait = exceeded(botKey, limit.perSecond, now) ?? (chatId === undefined ? undefined : exceeded(chatKey, limit.perChatPerSecond, now));
      if (wait !== undefined) return tooManyRequests(wait);
      windows.get(botKey)?.push(now);
      if (chatId !== undefined && limit.perChatPerSecond !== undefined) windows.get(chatKey)?.push(now);
      return undefined;
    },
    setLatency(ms) {
      latency = ms === 0 ? 0 : positiveInteger(ms, 'latency', 0);
    },
    latency: () => latency,
  };
}
