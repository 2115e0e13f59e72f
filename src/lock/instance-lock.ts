/**
 * The per-token instance lock (SPEC 5 item 1): one update consumer per bot
 * token on a host. A proper-lockfile lock named by the token hash, with the
 * holder's pid, host and start time recorded beside it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from 'pino';
import {
  describeHolder,
  isPidAlive,
  readHolderRecord,
  removeHolderRecord,
  writeHolderRecord,
  type HolderRecord,
} from './holder-record.js';

/** Every process must use the same values, or one may judge a live lock stale. */
export const LOCK_STALE_MS = 10_000;
export const LOCK_UPDATE_MS = 2_000;
const GUARD_STALE_MS = 2_000;
const WAIT_RETRY_MS = 250;
const HOLDER_LOG_EVERY_MS = 30_000;

/** Thrown when another live instance holds the lock. */
export class LockHeldError extends Error {
  readonly holder: HolderRecord | undefined;
  readonly lockPath: string;
  constructor(holder: HolderRecord | undefined, lockPath: string) {
    super(`Another paywall bot holds the lock for this token: ${describeHolder(holder, lockPath)}.`);
    this.name = 'LockHeldError';
    this.holder = holder;
    this.lockPath = lockPath;
  }
}

/** A held lock. `release` is idempotent. */
export interface InstanceLock {
  readonly lockPath: string;
  readonly holderPath: string;
  release(): Promise<void>;
}

/** What acquireInstanceLock needs. */
export interface InstanceLockOptions {
  lockDir: string;
  tokenHash: string;
  logger: Logger;
  /** Wait for the holder to go away instead of failing at once. */
  wait: boolean;
  signal?: AbortSignal;
  /** Called if the lock is lost while held (its mtime could not be refreshed, or someone broke it). */
  onCompromised: (err: Error) => void;
}

interface LockPaths {
  target: string;
  lockPath: string;
  holderPath: string;
  guardTarget: string;
}

function lockPaths(lockDir: string, tokenHash: string): LockPaths {
  const target = join(lockDir, tokenHash);
  return { target, lockPath: `${target}.lock`, holderPath: `${target}.holder.json`, guardTarget: `${target}.guard` };
}

/**
 * Runs `fn` under a short guard lock, so that breaking a dead holder's lock,
 * taking the lock and writing the holder record look atomic to other instances.
 */
async function underGuard<T>(guardTarget: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(guardTarget, {
    realpath: false,
    stale: GUARD_STALE_MS,
    retries: { retries: 60, minTimeout: 10, maxTimeout: 100, factor: 1.5 },
    onCompromised: () => undefined,
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

type Attempt = { ok: true; release: () => Promise<void> } | { ok: false; holder: HolderRecord | undefined };

async function attempt(paths: LockPaths, options: InstanceLockOptions, startedAt: string): Promise<Attempt> {
  return underGuard(paths.guardTarget, async () => {
    const holder = await readHolderRecord(paths.holderPath);
    // A holder that died on this host left its lock behind: take it over now, not after the stale period.
    if (holder && holder.host === hostname() && holder.pid !== process.pid && !isPidAlive(holder.pid)) {
      options.logger.info({ deadPid: holder.pid }, 'Taking over the lock left by a process that is no longer running');
      await rm(paths.lockPath, { recursive: true, force: true });
      await removeHolderRecord(paths.holderPath);
    }
    try {
      const release = await lockfile.lock(paths.target, {
        realpath: false,
        stale: LOCK_STALE_MS,
        update: LOCK_UPDATE_MS,
        retries: 0,
        onCompromised: options.onCompromised,
      });
      await writeHolderRecord(paths.holderPath, { pid: process.pid, host: hostname(), startedAt, lockPath: paths.lockPath });
      return { ok: true, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return { ok: false, holder };
      throw err;
    }
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Takes the lock for one token. Without `wait`, throws LockHeldError at once
 * when another instance holds it; with `wait`, retries until it is free,
 * logging the holder now and then. Throws the signal's reason if aborted.
 */
export async function acquireInstanceLock(options: InstanceLockOptions): Promise<InstanceLock> {
  const paths = lockPaths(options.lockDir, options.tokenHash);
  await mkdir(options.lockDir, { recursive: true });
  const startedAt = new Date().toISOString();
  let lastLogged = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await attempt(paths, options, startedAt);
    if (result.ok) return heldLock(paths, result.release);
    if (!options.wait) throw new LockHeldError(result.holder, paths.lockPath);
    if (Date.now() - lastLogged >= HOLDER_LOG_EVERY_MS) {
      lastLogged = Date.now();
      options.logger.info(`Waiting for the lock: held by ${describeHolder(result.holder, paths.lockPath)}`);
    }
    await sleep(WAIT_RETRY_MS, options.signal);
  }
}

function heldLock(paths: LockPaths, release: () => Promise<void>): InstanceLock {
  let released: Promise<void> | undefined;
  return {
    lockPath: paths.lockPath,
    holderPath: paths.holderPath,
    release() {
      released ??= underGuard(paths.guardTarget, async () => {
        // Record first, lock second: a new holder's record is never deleted by us.
        await removeHolderRecord(paths.holderPath);
        await release().catch(() => undefined);
      }).catch(() => undefined);
      return released;
    },
  };
}
