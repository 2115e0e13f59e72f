/**
 * Keeping a won lease: watch its session (the client's end and error events at
 * once, a bounded check every few seconds for a session that died silently),
 * report a loss at once, win the lease back, and release it on demand.
 */
import { LeaseLostError, safeDetail } from './lease-errors.js';
import { LeaseQueryTimeoutError, type LeaseConnection } from './lease-connection.js';
import { winLease, type LeaseContext } from './win-lease.js';

/** The life of a lease: held, lost (trying to win it back), released (for good). */
export type LeaseState = 'held' | 'lost' | 'released';

/** A database lease, held from acquireDatabaseLease until release(). */
export interface DatabaseLease {
  /** 'held' while this process may consume updates; 'lost' while it must not. */
  state(): LeaseState;
  /** Unlocks and closes the session, and stops any attempt to win the lease back. Idempotent; bounded in time. */
  release(): Promise<void>;
}

/** What the keeper tells its owner. */
export interface LeaseCallbacks {
  onLost: (err: LeaseLostError) => void;
  onRegained: () => void;
}

/** Starts keeping `conn`, whose session holds the lease. */
export function keepLease(ctx: LeaseContext, conn: LeaseConnection, callbacks: LeaseCallbacks): DatabaseLease {
  let state: LeaseState = 'held';
  let current: LeaseConnection | undefined;
  let checkTimer: NodeJS.Timeout | undefined;
  let regaining: Promise<void> | undefined;
  let released: Promise<void> | undefined;
  const stop = new AbortController();
  const reason = (err: unknown) => safeDetail(err, ctx.settings.url);

  const call = (name: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      ctx.logger.error(`The lease's ${name} callback threw: ${reason(err)}`);
    }
  };

  const lose = (lost: LeaseConnection, why: string) => {
    if (lost !== current || state !== 'held') return;
    state = 'lost';
    current = undefined;
    clearInterval(checkTimer);
    void lost.close(0);
    ctx.logger.warn({ backendPid: lost.backendPid }, `Lost the database lease (${why}): stopping update consumption and trying to win it back`);
    call('onLost', () => callbacks.onLost(new LeaseLostError(why)));
    regaining = regain(lost.backendPid);
  };

  const watch = (held: LeaseConnection) => {
    current = held;
    state = 'held';
    held.onEnd((err) => lose(held, `its PostgreSQL session ${err instanceof LeaseQueryTimeoutError ? 'stopped answering' : 'ended'}: ${reason(err)}`));
    let checking = false;
    checkTimer = setInterval(() => {
      if (checking) return;
      checking = true;
      held.holdsLock().then(
        (ok) => ok || lose(held, 'its PostgreSQL session no longer holds the lock'),
        (err: unknown) => lose(held, `its PostgreSQL session stopped answering: ${reason(err)}`),
      ).finally(() => {
        checking = false;
      });
    }, ctx.timing.checkEveryMs);
  };

  const regain = async (lostBackendPid: number) => {
    try {
      const won = await winLease(ctx, { wait: true, signal: stop.signal, failFirstConnect: false, ownStaleBackendPid: lostBackendPid });
      if (stop.signal.aborted) return void (await won.close(ctx.timing.releaseTimeoutMs, true));
      watch(won);
      ctx.logger.info({ backendPid: won.backendPid }, 'Won the database lease back: update consumption may resume');
      call('onRegained', callbacks.onRegained);
    } catch (err) {
      if (!stop.signal.aborted) ctx.logger.error(`Gave up winning the database lease back: ${reason(err)}`);
    }
  };

  watch(conn);
  return {
    state: () => state,
    release() {
      released ??= (async () => {
        state = 'released';
        stop.abort(new Error('the lease was released'));
        clearInterval(checkTimer);
        const held = current;
        current = undefined;
        await Promise.all([held?.close(ctx.timing.releaseTimeoutMs, true), regaining]);
      })();
      return released;
    },
  };
}
