/**
 * What names a database lease in PostgreSQL: the advisory-lock key derived
 * from the token hash, and the application_name that tells an operator which
 * paywall process holds it.
 */

/**
 * paywall's advisory-lock namespace, the first int of the two-int form ("payw"
 * in ASCII). The two-int form lives apart from the single-bigint form other
 * applications use (pg_locks.objsubid 2, not 1), and the fixed namespace keeps
 * paywall's locks apart from other two-int users and easy to find in pg_locks.
 */
export const LEASE_NAMESPACE = 0x70617977;

/** The two ints of `pg_try_advisory_lock(namespace, key)`. */
export interface LeaseKey {
  readonly namespace: number;
  /** A signed int32: the first 8 hex digits of the token hash. */
  readonly key: number;
}

/** Prefix of every lease connection's application_name. */
export const LEASE_APPLICATION = 'paywall-lease';

// PostgreSQL keeps at most NAMEDATALEN - 1 bytes of application_name.
const APPLICATION_NAME_MAX = 63;

/**
 * The lease key for a token hash (hex, as Config.tokenHash). 32 bits of the
 * hash are plenty: a collision between two tokens sharing one database would
 * only make their bots exclusive of each other, never let two consume one token.
 */
export function leaseKey(tokenHash: string): LeaseKey {
  if (!/^[0-9a-f]{8,}$/i.test(tokenHash)) {
    throw new TypeError(`Expected tokenHash to be at least 8 hex digits, got ${tokenHash.length} characters that are not all hex.`);
  }
  return Object.freeze({ namespace: LEASE_NAMESPACE, key: Number.parseInt(tokenHash.slice(0, 8), 16) | 0 });
}

/** application_name of a lease connection: `paywall-lease <pid>@<host>`, printable ASCII, within 63 bytes. */
export function leaseApplicationName(pid: number, host: string): string {
  const safeHost = host.replace(/[^\x20-\x7e]/g, '?');
  return `${LEASE_APPLICATION} ${pid}@${safeHost}`.slice(0, APPLICATION_NAME_MAX);
}

/** The pid and host in a lease connection's application_name, if it is one. */
export function parseLeaseApplicationName(name: string): { pid: number; host: string } | undefined {
  const match = new RegExp(`^${LEASE_APPLICATION} (\\d+)@(.*)$`).exec(name);
  return match ? { pid: Number(match[1]), host: match[2]! } : undefined;
}
