/**
 * One bot's queue of updates: ids increase by one from the first, an update
 * stays until an offset above its id confirms it, and listeners hear of every
 * push (long polls wake on them).
 */
import type { Update } from 'grammy/types';
import type { UpdateInput } from './types.js';
import { updateType } from './update-types.js';

/** The queue of one bot. */
export interface UpdateQueue {
  /** Appends the update with the next id and wakes listeners. */
  push(update: UpdateInput): Update;
  /**
   * Applies a getUpdates offset: a positive one deletes every update with a
   * smaller id; a negative one keeps only the last -offset updates.
   */
  confirm(offset: number): void;
  /**
   * Up to `limit` updates from the oldest. Updates whose type the filter
   * refuses are dropped for good: under that subscription Telegram would never
   * have queued them.
   */
  take(limit: number, allowed: (type: string) => boolean): Update[];
  size(): number;
  lastConfirmedOffset(): number;
  /** Drops everything queued (drop_pending_updates). */
  clear(): void;
  /** Calls back on every push; returns the unsubscribe function. */
  onPush(listener: () => void): () => void;
}

/** An empty queue whose first update gets `firstId`. */
export function createUpdateQueue(firstId: number): UpdateQueue {
  let items: Update[] = [];
  let nextId = firstId;
  let confirmed = 0;
  const listeners = new Set<() => void>();

  return {
    push(input) {
      const update = { update_id: nextId++, ...input } as Update;
      items.push(update);
      for (const listener of [...listeners]) listener();
      return update;
    },
    confirm(offset) {
      if (offset > 0) {
        items = items.filter((u) => u.update_id >= offset);
        confirmed = Math.max(confirmed, offset);
      } else if (offset < 0 && items.length > -offset) {
        items = items.slice(offset);
        confirmed = Math.max(confirmed, items[0]!.update_id);
      }
    },
    take(limit, allowed) {
      items = items.filter((u) => allowed(updateType(u)));
      return items.slice(0, limit);
    },
    size: () => items.length,
    lastConfirmedOffset: () => confirmed,
    clear() {
      items = [];
    },
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
