/**
 * getUpdates with real long polling, as Telegram's Bot API server does it:
 * the offset confirms, allowed_updates is remembered per bot, a request with
 * nothing to return waits up to `timeout` seconds, and a bot has at most one
 * waiting poll — a newer request that must wait ends the older one with 409.
 * (A request answered at once leaves a waiting one alone, as upstream does.)
 */
import type { Update } from 'grammy/types';
import { conflict } from './api-error.js';
import type { BotState, PendingPoll } from './bot-state.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { clampedIntParam } from './params.js';
import { isAllowed, readSubscription } from './update-types.js';

/** Telegram's description when a second consumer polls. */
export const CONFLICT_OTHER_POLL = 'terminated by other getUpdates request; make sure that only one bot instance is running';
/** Telegram's description for getUpdates while a webhook is set. */
export const CONFLICT_WEBHOOK_ACTIVE = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** Thrown when a poll ends because its client went away or the server closed: nothing to answer. */
export class PollAbandoned extends Error {
  constructor() {
    super('long poll abandoned');
    this.name = 'PollAbandoned';
  }
}

/** Ends the bot's waiting poll, if any, with 409 Conflict: <detail>. */
export function terminatePoll(bot: BotState, detail: string): void {
  bot.poll?.terminate(conflict(detail));
}

async function getUpdates(ctx: MethodContext): Promise<Update[]> {
  const { bot, params } = ctx;
  if (bot.webhook) throw conflict(CONFLICT_WEBHOOK_ACTIVE);
  const offset = clampedIntParam(params, 'offset', 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const limit = clampedIntParam(params, 'limit', 100, 1, 100);
  const timeout = clampedIntParam(params, 'timeout', 0, 0, 50);
  const change = readSubscription(params['allowed_updates']);
  if (change.kind === 'set') bot.subscription = change.subscription;
  if (offset !== 0) bot.updates.confirm(offset);

  const ready = bot.updates.take(limit, (type) => isAllowed(bot.subscription, type));
  if (ready.length > 0 || timeout === 0) return ready;
  terminatePoll(bot, CONFLICT_OTHER_POLL);
  return waitForUpdates(bot, limit, timeout * 1000, ctx.signal);
}

/** Waits for a push, the timeout (answering []), a 409 from a newer poll, or an abort. */
function waitForUpdates(bot: BotState, limit: number, timeoutMs: number, signal: AbortSignal): Promise<Update[]> {
  return new Promise<Update[]>((resolve, reject) => {
    const take = () => bot.updates.take(limit, (type) => isAllowed(bot.subscription, type));
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      if (bot.poll === poll) bot.poll = undefined;
      settle();
    };
    const poll: PendingPoll = { terminate: (error) => finish(() => reject(error)) };
    const onAbort = () => finish(() => reject(new PollAbandoned()));
    const unsubscribe = bot.updates.onPush(() => {
      const updates = take();
      if (updates.length > 0) finish(() => resolve(updates));
    });
    const timer = setTimeout(() => finish(() => resolve(take())), timeoutMs);
    bot.poll = poll;
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
  });
}

/** The polling method. */
export const POLLING_METHODS: MethodTable = { getUpdates };
