/**
 * Telegram's per-chat limit (about one message a second into one chat): one
 * send at a time per chat, each starting at least `intervalMs` after the one
 * before. A chat is forgotten once idle for the interval, so a burst from
 * twenty thousand users keeps no state behind it. Written here rather than
 * with bottleneck's Group (used before): a Group builds a whole limiter per
 * chat, and measured at a burst of 5,000 new chats it cost more time than
 * the sends themselves (bench/updates.mjs).
 */

interface ChatSlot {
  tail: Promise<unknown>;
  nextAt: number;
  pending: number;
}

/** Schedules `run` in the chat `key`'s turn. */
export type PerChatSchedule = <T>(key: string, run: () => Promise<T>) => Promise<T>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the per-chat scheduler. */
export function createPerChatSpacer(intervalMs: number, now: () => number = Date.now): PerChatSchedule {
  const chats = new Map<string, ChatSlot>();
  const forgetLater = (key: string, slot: ChatSlot) => {
    const timer = setTimeout(() => {
      if (slot.pending === 0 && chats.get(key) === slot) chats.delete(key);
    }, Math.max(0, slot.nextAt - now()));
    timer.unref();
  };
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    let slot = chats.get(key);
    if (!slot) {
      slot = { tail: Promise.resolve(), nextAt: 0, pending: 0 };
      chats.set(key, slot);
    }
    const own = slot;
    own.pending += 1;
    const result = own.tail.then(async () => {
      const wait = own.nextAt - now();
      if (wait > 0) await sleep(wait);
      own.nextAt = now() + intervalMs;
      return run();
    });
    own.tail = result.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      own.pending -= 1;
      if (own.pending === 0) forgetLater(key, own);
    });
    return result;
  };
}
