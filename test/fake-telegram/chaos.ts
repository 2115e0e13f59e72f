/**
 * Connection faults and random faults: dropNext cuts the connection of the
 * next matching calls without an answer (before the method runs, or after it,
 * when its effect happened and only the answer is lost), and setChaos gives a
 * fraction of all calls a random 5xx, an extra delay or a dropped connection,
 * from a seeded generator, counting what it did.
 */
import { ApiError, defaultDescription } from './api-error.js';
import type { ApiResponseBody } from './types.js';

/** Status recorded for a call whose connection the fake cut without answering (nginx's 444). */
export const DROPPED = 444;

/** Thrown inside the dispatcher to cut the connection; `after` (with the lost answer) when the method ran first. */
export class DropConnection extends Error {
  constructor(readonly after: boolean, readonly body?: ApiResponseBody) {
    super(after ? 'connection dropped after the method ran' : 'connection dropped before the method ran');
    this.name = 'DropConnection';
  }
}

/** dropNext: the next `times` calls matching method/token lose their connection. */
export interface DropNextOptions {
  method?: string;
  token?: string;
  times?: number;
  /** Run the method first (its effect happens, the answer is lost); default false: cut before it runs. */
  after?: boolean;
}

/** The kinds of fault setChaos picks from. */
export type ChaosKind = 'error' | 'latency' | 'drop';

/** setChaos: each matching call, with probability `rate`, gets one fault of a kind picked evenly from `kinds`. */
export interface ChaosOptions {
  /** Fraction of calls that get a fault, 0 to 1. */
  rate: number;
  /** Seed of the generator (default: random); the same seed and call order give the same faults. */
  seed?: number;
  /** Default: all three. */
  kinds?: ChaosKind[];
  /** Codes of the injected errors, picked evenly (default 500, 502, 503, 504). */
  errorCodes?: number[];
  /** Longest extra delay of a `latency` fault; each is uniform in [ms/10, ms] (default 1000). */
  latencyMs?: number;
  /** Only these methods get faults (default: every method). */
  methods?: string[];
  /** Methods whose drops come after the method ran (default none: every drop comes before). */
  dropAfter?: string[];
}

/** What setChaos has done since it was last set. */
export interface ChaosStats {
  /** Calls it considered (those matching `methods`). */
  calls: number;
  error: number;
  latency: number;
  drop: number;
}

/** The fault one call gets, if any. */
export type ChaosDecision =
  | { kind: 'error'; error: ApiError }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop'; after: boolean };

/** Connection and random faults of one fake. */
export interface Chaos {
  dropNext(options: DropNextOptions): void;
  /** Turns random faults on; undefined turns them off (the default). */
  setChaos(options: ChaosOptions | undefined): void;
  chaosStats(): ChaosStats;
  /** The fault for this call: a queued drop first, then a random fault; undefined for none. */
  decide(token: string, method: string): ChaosDecision | undefined;
}

interface QueuedDrop {
  method: string | undefined;
  token: string | undefined;
  remaining: number;
  after: boolean;
}

const KINDS: readonly ChaosKind[] = ['error', 'latency', 'drop'];
const ERROR_CODES: readonly number[] = [500, 502, 503, 504];

/** mulberry32: a small seeded generator of floats in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkChaos(options: ChaosOptions): void {
  if (typeof options.rate !== 'number' || !(options.rate >= 0 && options.rate <= 1)) {
    throw new TypeError(`fake-telegram: rate must be a number from 0 to 1, got ${JSON.stringify(options.rate)}`);
  }
  const kinds = options.kinds ?? KINDS;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !KINDS.includes(k))) {
    throw new TypeError(`fake-telegram: kinds must be a non-empty list of ${KINDS.join(', ')}, got ${JSON.stringify(options.kinds)}`);
  }
  const codes = options.errorCodes ?? ERROR_CODES;
  if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => !Number.isInteger(c) || c < 500 || c > 599)) {
    throw new TypeError(`fake-telegram: errorCodes must be a non-empty list of integers from 500 to 599, got ${JSON.stringify(options.errorCodes)}`);
  }
  if (options.latencyMs !== undefined && !(Number.isInteger(options.latencyMs) && options.latencyMs >= 1)) {
    throw new TypeError(`fake-telegram: latencyMs must be an integer ≥ 1, got ${JSON.stringify(options.latencyMs)}`);
  }
}

const lower = (names: string[] | undefined) => (names === undefined ? undefined : new Set(names.map((n) => n.toLowerCase())));

/** Fresh settings: nothing queued, no random faults. */
export function createChaos(): Chaos {
  const drops: QueuedDrop[] = [];
  let options: ChaosOptions | undefined;
  let random: () => number = Math.random;
  let only: Set<string> | undefined;
  let dropAfter = new Set<string>();
  let stats: ChaosStats = { calls: 0, error: 0, latency: 0, drop: 0 };

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const randomFault = (method: string): ChaosDecision | undefined => {
    const name = method.toLowerCase();
    if (!options || (only && !only.has(name))) return undefined;
    stats.calls += 1;
    if (random() >= options.rate) return undefined;
    const kind = pick(options.kinds ?? KINDS);
    stats[kind] += 1;
    if (kind === 'error') {
      const code = pick(options.errorCodes ?? ERROR_CODES);
      return { kind, error: new ApiError(code, defaultDescription(code)) };
    }
    if (kind === 'latency') {
      const max = options.latencyMs ?? 1000;
      return { kind, ms: Math.ceil(max / 10 + random() * (max - max / 10)) };
    }
    return { kind, after: dropAfter.has(name) };
  };

  return {
    dropNext(drop) {
      const times = drop.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new TypeError(`fake-telegram: times must be an integer ≥ 1, got ${JSON.stringify(drop.times)}`);
      drops.push({ method: drop.method?.toLowerCase(), token: drop.token, remaining: times, after: drop.after === true });
    },
    setChaos(next) {
      if (next !== undefined) checkChaos(next);
      options = next;
      random = next?.seed === undefined ? Math.random : seeded(next.seed);
      only = lower(next?.methods);
      dropAfter = lower(next?.dropAfter) ?? new Set();
      stats = { calls: 0, error: 0, latency: 0, drop: 0 };
    },
    chaosStats: () => ({ ...stats }),
    decide(token, method) {
      const index = drops.findIndex((d) => (d.method === undefined || d.method === method.toLowerCase()) && (d.token === undefined || d.token === token));
      if (index !== -1) {
        const drop = drops[index]!;
        if (--drop.remaining === 0) drops.splice(index, 1);
        return { kind: 'drop', after: drop.after };
      }
      return randomFault(method);
    },
  };
}
