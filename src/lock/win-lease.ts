/**
 * Winning the lease: connect, try the advisory lock, and either fail at once
 * naming the holder or keep trying (waiting for the holder, reconnecting with
 * backoff when the server goes away) until it is won or the signal aborts.
 * Used to take the lease and to win it back after a loss.
 */
import type { Logger } from 'pino';
import { LeaseHeldError, LeaseUnavailableError, safeDetail } from './lease-errors.js';
import { describeLeaseHolder, type LeaseHolder } from './lease-holder.js';
import { openLeaseConnection, type LeaseConnection, type LeaseConnectionSettings } from './lease-connection.js';
import { createThrottle, reconnectDelay, sleep, type LeaseTiming } from './lease-timing.js';

/** What every attempt shares. */
export interface LeaseContext {
  readonly settings: LeaseConnectionSettings;
  /** The database, with any password redacted, for messages. */
  readonly location: string;
  readonly logger: Logger;
  readonly timing: LeaseTiming;
}

/** How to try. */
export interface WinOptions {
  /** Keep trying while another session holds the lease, and through outages once connected. */
  readonly wait: boolean;
  readonly signal: AbortSignal;
  /**
   * The backend pid of our own session that was just lost: if it still holds
   * the lease (the server has not noticed that its client is gone), it is
   * terminated rather than waited for.
   */
  readonly ownStaleBackendPid?: number;
}

type Attempt = { won: true } | { won: false; holder: LeaseHolder | undefined };

async function attempt(conn: LeaseConnection, ctx: LeaseContext, options: WinOptions, retryUnseen: boolean): Promise<Attempt> {
  if (await conn.tryLock()) return { won: true };
  const holder = await conn.findHolder();
  const stale = options.ownStaleBackendPid;
  if (stale !== undefined && holder?.backendPid === stale && holder.applicationName === ctx.settings.applicationName) {
    ctx.logger.info({ backendPid: stale }, 'Ending our own earlier lease session, which the server still thinks is alive');
    await conn.terminate(stale);
    await sleep(100, options.signal);
    return (await conn.tryLock()) ? { won: true } : { won: false, holder: await conn.findHolder() };
  }
  // No holder to be seen: it may have just let go. One more try before naming nobody.
  if (!holder && retryUnseen && (await conn.tryLock())) return { won: true };
  return { won: false, holder };
}

/**
 * Resolves with a connection whose session holds the lease. Without `wait`,
 * rejects with LeaseHeldError or LeaseUnavailableError; with it, only a first
 * connection that fails rejects (LeaseUnavailableError) when `failFirstConnect`.
 * Rejects with the signal's reason when it aborts.
 */
export async function winLease(ctx: LeaseContext, options: WinOptions & { failFirstConnect: boolean }): Promise<LeaseConnection> {
  const { signal, wait } = options;
  const logHolder = createThrottle(ctx.timing.holderLogEveryMs);
  const logFailure = createThrottle(ctx.timing.holderLogEveryMs);
  let conn: LeaseConnection | undefined;
  let connectedOnce = false;
  let failures = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      try {
        conn ??= await openLeaseConnection(ctx.settings, signal);
        connectedOnce = true;
        const result = await attempt(conn, ctx, options, !wait);
        if (result.won) {
          const won = conn;
          conn = undefined;
          won.detachSignal();
          return won;
        }
        failures = 0;
        if (!wait) throw new LeaseHeldError(result.holder, ctx.location);
        if (logHolder()) ctx.logger.info(`Waiting for the database lease: held by ${describeLeaseHolder(result.holder, ctx.location)}`);
        await sleep(ctx.timing.waitRetryMs, signal);
      } catch (err) {
        signal.throwIfAborted();
        if (err instanceof LeaseHeldError) throw err;
        if (!wait || (!connectedOnce && options.failFirstConnect)) throw new LeaseUnavailableError(ctx.location, err, ctx.settings.url);
        await conn?.close(0);
        conn = undefined;
        const delay = reconnectDelay(ctx.timing, failures++);
        const line = `Cannot reach PostgreSQL at ${ctx.location} for the database lease (${safeDetail(err, ctx.settings.url)}); retrying`;
        if (logFailure()) ctx.logger.warn({ retryInMs: delay }, line);
        else ctx.logger.debug({ retryInMs: delay }, line);
        await sleep(delay, signal);
      }
    }
  } finally {
    await conn?.close(ctx.timing.releaseTimeoutMs);
  }
}
