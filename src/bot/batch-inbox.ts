/**
 * A batch of polled updates, prepared and finished with one statement each
 * instead of several per update: before handling, the ids already handled
 * are dropped (one query) and every sender is recorded (one upsert); after,
 * the handled ids are recorded (one insert). Updates it prepared skip those
 * steps in features/once.ts and context.ts. Payments keep their own
 * transaction (features/once.ts `claimsItsOwnId`). A crash in the middle of
 * a batch leaves its ids unrecorded and its offset unconfirmed: Telegram
 * delivers it again, and what was done is done again (at least once).
 */
import type { Update, User } from 'grammy/types';
import type { Logger } from 'pino';
import type { PaywallDeps } from '../paywall/index.js';
import { claimsItsOwnId, markPreparedByBatch } from './features/once.js';

function senderOf(update: Update): User | undefined {
  return update.message?.from ?? update.callback_query?.from ?? update.pre_checkout_query?.from ?? update.chat_join_request?.from
    ?? update.my_chat_member?.from ?? update.chat_member?.from ?? update.edited_message?.from;
}

/** The poller's batch hooks. */
export interface BatchInbox {
  /** The updates still to handle, their senders recorded. */
  prepare(updates: readonly Update[]): Promise<Update[]>;
  /** Records the handled ones. */
  finish(handled: readonly Update[]): Promise<void>;
}

/** Builds the hooks over the domain's store. */
export function createBatchInbox(paywall: Pick<PaywallDeps, 'store' | 'clock'>, logger: Pick<Logger, 'debug'>): BatchInbox {
  return {
    async prepare(updates) {
      const own = updates.filter((u) => !claimsItsOwnId(u));
      const done = own.length > 0 ? await paywall.store.updates.processedAmong(own.map((u) => u.update_id)) : new Set<number>();
      if (done.size > 0) logger.debug({ updateIds: [...done] }, 'Updates delivered again were skipped: they were handled before');
      const todo = updates.filter((u) => !done.has(u.update_id));
      const senders = todo.map(senderOf).filter((u): u is User => u !== undefined && !u.is_bot);
      if (senders.length > 0) {
        await paywall.store.users.touchMany(senders.map((u) => ({ id: u.id, username: u.username, firstName: u.first_name, lastName: u.last_name, languageCode: u.language_code })), paywall.clock.now());
      }
      for (const update of todo) markPreparedByBatch(update);
      return todo;
    },
    async finish(handled) {
      const ids = handled.filter((u) => !claimsItsOwnId(u)).map((u) => u.update_id);
      if (ids.length > 0) await paywall.store.updates.markManyProcessed(ids, paywall.clock.now());
    },
  };
}
