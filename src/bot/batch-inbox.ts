/**
 * The poller's inbox (polling.ts `PollerInbox`) over the database: a batch of
 * polled updates is prepared and finished with a few statements instead of
 * several per update. Before handling, the ids already handled are dropped
 * (one query, only where the poller says some may have been seen before: its
 * first batch and the first after a failed poll), every sender is recorded
 * (one upsert) and the rest are kept in `update_inbox` (one insert), after
 * which the poller confirms their offset; after handling, the handled ids are
 * recorded (one insert) and released from the inbox (one delete), for all
 * batches settled within a few milliseconds at once. Updates it prepared skip
 * those steps in features/once.ts and context.ts. Payments keep their own
 * transaction (features/once.ts `claimsItsOwnId`). A crash in the middle
 * leaves updates in the inbox: they are handled at the next start, and what
 * was done is done again (at least once); an update recorded as handled never
 * is.
 */
import type { Update, User } from 'grammy/types';
import type { Logger } from 'pino';
import type { PaywallDeps } from '../paywall/index.js';
import { claimsItsOwnId, markPreparedByBatch } from './features/once.js';
import type { PollerInbox } from './polling.js';

function senderOf(update: Update): User | undefined {
  return update.message?.from ?? update.callback_query?.from ?? update.pre_checkout_query?.from ?? update.chat_join_request?.from
    ?? update.my_chat_member?.from ?? update.chat_member?.from ?? update.edited_message?.from;
}

/** Builds the inbox over the domain's store. */
export function createBatchInbox(paywall: Pick<PaywallDeps, 'store' | 'clock'>, logger: Pick<Logger, 'debug' | 'warn'>): PollerInbox {
  return {
    async prepare(updates, fresh) {
      const own = fresh ? [] : updates.filter((u) => !claimsItsOwnId(u));
      const done = own.length > 0 ? await paywall.store.updates.processedAmong(own.map((u) => u.update_id)) : new Set<number>();
      if (done.size > 0) logger.debug({ updateIds: [...done] }, 'Updates delivered again were skipped: they were handled before');
      const todo = updates.filter((u) => !done.has(u.update_id));
      const senders = todo.map(senderOf).filter((u): u is User => u !== undefined && !u.is_bot);
      if (senders.length > 0) {
        await paywall.store.users.touchMany(senders.map((u) => ({ id: u.id, username: u.username, firstName: u.first_name, lastName: u.last_name, languageCode: u.language_code })), paywall.clock.now());
      }
      await paywall.store.updates.keep(todo.map((u) => ({ updateId: u.update_id, json: JSON.stringify(u) })), paywall.clock.now());
      // Pending updates handled before (recorded, then a crash before their release) leave the inbox now.
      if (done.size > 0) await paywall.store.updates.release([...done]);
      for (const update of todo) markPreparedByBatch(update);
      return todo;
    },
    async finish(handled) {
      const ids = handled.filter((u) => !claimsItsOwnId(u)).map((u) => u.update_id);
      // Recorded first: a crash between the two leaves a recorded update in the inbox, which prepare then drops.
      if (ids.length > 0) await paywall.store.updates.markManyProcessed(ids, paywall.clock.now());
      await paywall.store.updates.release(handled.map((u) => u.update_id));
    },
    early(updates) {
      // A pre-checkout only reads (the order, the plan, the chats) and answers: safe before the batch is kept.
      const early = updates.filter((u) => u.pre_checkout_query !== undefined);
      for (const update of early) markPreparedByBatch(update);
      return early;
    },
    async pending(limit) {
      const kept = await paywall.store.updates.kept(limit);
      const updates: Update[] = [];
      for (const { updateId, json } of kept) {
        try {
          updates.push(JSON.parse(json) as Update);
        } catch {
          // Never written by us in this shape: drop it rather than block the inbox.
          logger.warn({ updateId }, 'An update in the inbox could not be read and was dropped');
          await paywall.store.updates.release([updateId]);
        }
      }
      return updates;
    },
  };
}
