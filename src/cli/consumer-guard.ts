/**
 * The guard of update consumption (SPEC 5 items 1 and 2): this host's
 * instance lock and, on PostgreSQL, the database lease, taken in that order
 * and released in the reverse. Updates may be consumed only while `holds()`;
 * a lost lease pauses consumption at once (listeners hear it) until it is won
 * back; a lost lock is fatal (the `lost` signal aborts with an ExitError).
 * Light to import: the lease's PostgreSQL client loads only when needed, so
 * that a second instance is refused quickly.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { DatabaseLease } from '../lock/database-lease.js';
import { acquireInstanceLock, LockHeldError, type InstanceLock } from '../lock/instance-lock.js';
import { EXIT, ExitError, UsageError } from './errors.js';

/** What acquireConsumerGuard needs. */
export interface ConsumerGuardOptions {
  config: Config;
  logger: Logger;
  /** Wait for the holder of the lock or lease to go away (`--wait`, and webhook mode). */
  wait: boolean;
  /** Aborting it ends a wait (the acquire call then rejects). */
  signal: AbortSignal;
}

/** A held guard. */
export interface ConsumerGuard {
  /** True while both the lock and (on PostgreSQL) the lease are held. */
  holds(): boolean;
  /** Aborts, with an ExitError (exit 1) as its reason, when the instance lock is lost: stop and exit. */
  readonly lost: AbortSignal;
  /** Calls `listener(false)` when the lease is lost and `listener(true)` when it is won back. */
  onChange(listener: (holds: boolean) => void): void;
  /** Releases the lease, then the lock. */
  release(): Promise<void>;
}

/** The instance lock alone, with the signal that aborts when it is lost. */
export interface HeldLock {
  readonly lock: InstanceLock;
  readonly lost: AbortController;
}

/** Takes this host's instance lock (exit 3 when held and `wait` is off; exit 2 for an unusable lock directory). */
export async function takeInstanceLock(options: ConsumerGuardOptions): Promise<HeldLock> {
  const lost = new AbortController();
  const lock = await takeLock(options, (err) => {
    options.logger.error(`The instance lock was lost: ${err.message}. Stopping update consumption now.`);
    lost.abort(new ExitError(EXIT.FAILURE, `The instance lock was lost (${err.message}); stopped consuming updates.`, 'Keep PAYWALL_LOCK_DIR on a local disk that every paywall process of this host shares, and do not delete its files while paywall runs.'));
  });
  return { lock, lost };
}

async function takeLock(options: ConsumerGuardOptions, onLost: (err: Error) => void): Promise<InstanceLock> {
  const { config, logger } = options;
  try {
    const lock = await acquireInstanceLock({ lockDir: config.lockDir, tokenHash: config.tokenHash!, logger, wait: options.wait, signal: options.signal, onCompromised: onLost });
    logger.info({ lock: lock.lockPath }, 'Took the instance lock for this token');
    return lock;
  } catch (err) {
    if (err instanceof LockHeldError) {
      throw new ExitError(EXIT.LOCKED, err.message, 'Only one bot may consume updates per token. Stop the other one, or start this one with --wait to take over when it stops.');
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
      throw new UsageError(`The lock directory ${config.lockDir} cannot be used (${code}).`, 'Point PAYWALL_LOCK_DIR (or --lock-dir) at a writable directory shared by every paywall process of this host.');
    }
    throw err;
  }
}

async function takeLease(options: ConsumerGuardOptions, onChange: (holds: boolean) => void): Promise<DatabaseLease | undefined> {
  const { config, logger } = options;
  if (config.database.kind !== 'postgres') return undefined;
  const { acquireDatabaseLease, LeaseHeldError, LeaseUnavailableError } = await import('../lock/database-lease.js');
  try {
    const lease = await acquireDatabaseLease({
      database: config.database,
      tokenHash: config.tokenHash!,
      logger,
      wait: options.wait,
      signal: options.signal,
      onLost: (err) => {
        logger.error(`${err.message} Stopped consuming updates; trying to win the lease back.`);
        onChange(false);
      },
      onRegained: () => {
        logger.info('Won the database lease back: consuming updates again');
        onChange(true);
      },
    });
    logger.info('Took the database lease for this token');
    return lease;
  } catch (err) {
    if (err instanceof LeaseHeldError) {
      throw new ExitError(EXIT.LOCKED, err.message, 'Only one bot may consume updates per token, on any host that shares this database. Stop the other one, or start this one with --wait to take over when it stops.');
    }
    if (err instanceof LeaseUnavailableError) {
      throw new ExitError(EXIT.FAILURE, err.message, 'Check DATABASE_URL and that PostgreSQL is reachable directly or through a pooler in session mode (not transaction mode).');
    }
    throw err;
  }
}

/**
 * Takes the lock (unless `held` already has it), then the lease; throws
 * ExitError (exit 3) when another instance holds either and `wait` is off.
 */
export async function acquireConsumerGuard(options: ConsumerGuardOptions, held?: HeldLock): Promise<ConsumerGuard> {
  const { lock, lost } = held ?? (await takeInstanceLock(options));
  const listeners: Array<(holds: boolean) => void> = [];
  let leaseHeld = true;
  let lease: DatabaseLease | undefined;
  try {
    options.signal.throwIfAborted();
    lease = await takeLease(options, (holds) => {
      leaseHeld = holds;
      for (const listener of listeners) listener(holds);
    });
  } catch (err) {
    // A lock the caller brought stays the caller's to release.
    if (!held) await lock.release();
    throw err;
  }
  return {
    holds: () => leaseHeld && !lost.signal.aborted,
    lost: lost.signal,
    onChange: (listener) => void listeners.push(listener),
    async release() {
      await lease?.release().catch((err: unknown) => options.logger.warn(`Could not release the database lease cleanly (${(err as Error).message}); it ends with the connection`));
      await lock.release();
    },
  };
}
