/**
 * The database lease (SPEC 5 item 2): one update consumer per bot token across
 * hosts that share one PostgreSQL database. A session advisory lock keyed on
 * the token hash, held on a dedicated connection for the runtime's life; it is
 * free again as soon as that session ends (a clean exit, a killed process, a
 * terminated backend, a host whose TCP connection the server gives up on).
 *
 * DATABASE_URL must reach PostgreSQL directly or through a pooler in session
 * mode: a transaction-mode pooler (PgBouncer's default) cannot hold a session
 * lock. SQLite needs no lease: one file on one host, the instance lock suffices.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { redactUrl, type DatabaseConfig } from '../config/config.js';
import { LeaseHeldError, LeaseLostError, LeaseUnavailableError } from './lease-errors.js';
import { describeLeaseHolder, type LeaseHolder } from './lease-holder.js';
import { LEASE_APPLICATION, leaseApplicationName, leaseKey, LEASE_NAMESPACE, type LeaseKey } from './lease-key.js';
import { keepLease, type DatabaseLease, type LeaseState } from './lease-keeper.js';
import { openLeaseConnection, type LeaseConnection, type LeaseConnectionSettings } from './lease-connection.js';
import { DEFAULT_LEASE_TIMING, type LeaseTiming } from './lease-timing.js';
import { winLease, type LeaseContext } from './win-lease.js';

export { LeaseHeldError, LeaseLostError, LeaseUnavailableError, describeLeaseHolder, leaseKey, LEASE_NAMESPACE, DEFAULT_LEASE_TIMING };
export type { DatabaseLease, LeaseHolder, LeaseKey, LeaseState, LeaseTiming };

/** A PostgreSQL DatabaseConfig: the only kind a lease applies to. */
export type PostgresDatabaseConfig = Extract<DatabaseConfig, { kind: 'postgres' }>;

/** True when the database needs a lease (PostgreSQL); SQLite relies on the instance lock alone. */
export function leaseApplies(database: DatabaseConfig): database is PostgresDatabaseConfig {
  return database.kind === 'postgres';
}

/** What acquireDatabaseLease needs. */
export interface DatabaseLeaseOptions {
  /** Config.database, once leaseApplies(config.database) said yes. */
  database: PostgresDatabaseConfig;
  /** Config.tokenHash (hex); the token itself never reaches the lease. */
  tokenHash: string;
  logger: Logger;
  /** Wait for the holder to go away instead of failing at once (`--wait`). */
  wait: boolean;
  /** Stops a wait: acquireDatabaseLease then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called at once when the lease is lost while held: stop consuming updates now. */
  onLost: (err: LeaseLostError) => void;
  /** Called when a lost lease has been won back: consuming may resume. */
  onRegained: () => void;
  /** Overrides of the intervals and timeouts (tests); the defaults suit production. */
  timing?: Partial<LeaseTiming>;
}

function leaseSettings(database: PostgresDatabaseConfig, tokenHash: string, timing: LeaseTiming): LeaseConnectionSettings {
  if (!leaseApplies(database)) {
    throw new TypeError(`Expected a PostgreSQL database for the lease, got ${String((database as DatabaseConfig).kind)}.`);
  }
  return {
    url: database.url,
    applicationName: leaseApplicationName(process.pid, hostname()),
    key: leaseKey(tokenHash),
    connectTimeoutMs: timing.connectTimeoutMs,
    queryTimeoutMs: timing.queryTimeoutMs,
  };
}

/**
 * Takes the lease for one token. Without `wait`, throws LeaseHeldError at
 * once (naming the holder) when another session holds it; with `wait`, tries
 * every half second, naming the holder at once and then every 30 s, and rides
 * out outages once connected. A first connection that fails throws
 * LeaseUnavailableError in both modes. Throws the signal's reason if aborted.
 */
export async function acquireDatabaseLease(options: DatabaseLeaseOptions): Promise<DatabaseLease> {
  const timing: LeaseTiming = { ...DEFAULT_LEASE_TIMING, ...options.timing };
  const settings = leaseSettings(options.database, options.tokenHash, timing);
  const ctx: LeaseContext = { settings, location: redactUrl(settings.url), logger: options.logger, timing };
  const signal = options.signal ?? new AbortController().signal;
  const conn = await winLease(ctx, { wait: options.wait, signal, failFirstConnect: true });
  return keepLease(ctx, conn, { onLost: options.onLost, onRegained: options.onRegained });
}

/** Options of findLeaseHolder. */
export interface FindLeaseHolderOptions {
  database: PostgresDatabaseConfig;
  tokenHash: string;
  timing?: Partial<LeaseTiming>;
}

/**
 * Who holds the lease for a token right now (for `doctor`, the dashboard and
 * messages); undefined when nobody does. Opens and closes a short session of
 * its own; throws LeaseUnavailableError when PostgreSQL cannot be reached.
 */
export async function findLeaseHolder(options: FindLeaseHolderOptions): Promise<LeaseHolder | undefined> {
  const timing: LeaseTiming = { ...DEFAULT_LEASE_TIMING, ...options.timing };
  const settings = { ...leaseSettings(options.database, options.tokenHash, timing), applicationName: `${LEASE_APPLICATION}-probe` };
  let conn: LeaseConnection | undefined;
  try {
    conn = await openLeaseConnection(settings);
    return await conn.findHolder();
  } catch (err) {
    throw new LeaseUnavailableError(redactUrl(settings.url), err, settings.url);
  } finally {
    await conn?.close(timing.releaseTimeoutMs);
  }
}
