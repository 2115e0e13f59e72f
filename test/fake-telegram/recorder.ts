/**
 * The record of Bot API calls, in arrival order, and waiting for one.
 * A call is recorded when it arrives and completed in place when answered,
 * so a long poll shows up at once; waiters are checked on both events.
 */
import type { ApiResponseBody, CallFilter, CallMatch, RecordedCall, WaitForCallOptions } from './types.js';

/** The call log of one fake. */
export interface Recorder {
  record(token: string, method: string, params: Record<string, unknown>, at: number): RecordedCall;
  complete(call: RecordedCall, status: number, response: ApiResponseBody | undefined): void;
  calls(filter?: CallFilter): RecordedCall[];
  clear(): void;
  waitFor(match: CallMatch, timeoutMs: number, options?: WaitForCallOptions): Promise<RecordedCall>;
  /** Rejects every waiter (the server is closing). */
  close(): void;
}

interface Waiter {
  test: (call: RecordedCall) => boolean;
  since: number;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function toPredicate(match: CallMatch): (call: RecordedCall) => boolean {
  if (typeof match === 'function') return match;
  return (call) =>
    (match.method === undefined || call.method.toLowerCase() === match.method.toLowerCase()) &&
    (match.token === undefined || call.token === match.token) &&
    (match.status === undefined || call.status === match.status);
}

/** Says what was awaited without the token: only the bot id (the part before the colon) is shown. */
function describeMatch(match: CallMatch): string {
  if (typeof match === 'function') return 'a call matching the predicate';
  const parts = Object.entries(match).map(([key, value]) =>
    key === 'token' ? `bot ${String(value).split(':')[0]}` : `${key} ${JSON.stringify(value)}`,
  );
  return `a call with ${parts.join(', ') || 'anything'}`;
}

/** "getMe 200, getUpdates 200 ×3, sendMessage 403" — methods in order, repeats folded. */
function summarize(calls: RecordedCall[]): string {
  const parts: string[] = [];
  let last = '';
  let count = 0;
  for (const call of [...calls, undefined]) {
    const label = call ? `${call.method} ${call.status ?? 'pending'}` : '';
    if (label === last) {
      count++;
      continue;
    }
    if (last) parts.push(count > 1 ? `${last} ×${count}` : last);
    last = label;
    count = 1;
  }
  return parts.length ? parts.join(', ') : 'none';
}

/** An empty record. */
export function createRecorder(): Recorder {
  let log: RecordedCall[] = [];
  const waiters = new Set<Waiter>();

  const check = (call: RecordedCall) => {
    const index = log.indexOf(call);
    for (const waiter of [...waiters]) {
      if (index >= waiter.since && waiter.test(call)) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(call);
      }
    }
  };

  return {
    record(token, method, params, at) {
      const call: RecordedCall = { token, method, params, at, status: undefined, response: undefined };
      log.push(call);
      check(call);
      return call;
    },
    complete(call, status, response) {
      call.status = status;
      call.response = response;
      if (log.includes(call)) check(call);
    },
    calls(filter = {}) {
      return log.filter(toPredicate(filter));
    },
    clear() {
      log = [];
      for (const waiter of waiters) waiter.since = 0;
    },
    waitFor(match, timeoutMs, options = {}) {
      const test = toPredicate(match);
      const since = options.since ?? 0;
      const found = log.slice(since).find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          test, since, resolve, reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`fake-telegram: no ${describeMatch(match).slice(2)} within ${timeoutMs} ms; calls seen: ${summarize(log)}`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('fake-telegram: the server closed while waiting for a call'));
      }
      waiters.clear();
    },
  };
}
