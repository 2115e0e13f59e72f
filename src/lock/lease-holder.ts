/**
 * Who holds a database lease, as PostgreSQL sees it (pg_locks joined with
 * pg_stat_activity), so that a refused instance can name the other host.
 */
import { parseLeaseApplicationName } from './lease-key.js';

/** The session holding a lease. */
export interface LeaseHolder {
  /** The PostgreSQL backend pid of the holding session. */
  readonly backendPid: number;
  readonly applicationName: string;
  /** Where the session connects from; undefined over a Unix socket or when not visible. */
  readonly clientAddr: string | undefined;
  /** When the holding session connected (about when it took the lease). */
  readonly since: Date | undefined;
  /** The paywall process, read from the application_name; undefined for a foreign session. */
  readonly process: { readonly pid: number; readonly host: string } | undefined;
}

/** The raw row of HOLDER_SQL. */
export interface HolderRow {
  pid: number;
  application_name: string | null;
  client_addr: string | null;
  backend_start: Date | null;
}

/**
 * Finds the session holding the two-int advisory lock ($1, $2) in this
 * database. pg_locks shows the ints as unsigned oids, hence the bigint casts.
 * pg_stat_activity hides the details of other users' sessions unless the role
 * may see them: the row then comes back with nulls.
 */
export const HOLDER_SQL = `
  select l.pid, a.application_name, host(a.client_addr) as client_addr, a.backend_start
  from pg_locks l left join pg_stat_activity a on a.pid = l.pid
  where l.locktype = 'advisory' and l.granted and l.objsubid = 2
    and l.database = (select oid from pg_database where datname = current_database())
    and l.classid = ($1::int4::int8 & 4294967295)::oid and l.objid = ($2::int4::int8 & 4294967295)::oid
  limit 1`;

/** True when this session holds the two-int advisory lock ($1, $2). */
export const HOLDS_SQL = `
  select exists (
    select 1 from pg_locks
    where locktype = 'advisory' and granted and objsubid = 2 and pid = pg_backend_pid()
      and classid = ($1::int4::int8 & 4294967295)::oid and objid = ($2::int4::int8 & 4294967295)::oid
  ) as held`;

/** A LeaseHolder from a HOLDER_SQL row. */
export function holderFromRow(row: HolderRow): LeaseHolder {
  const applicationName = row.application_name ?? '';
  return {
    backendPid: row.pid,
    applicationName,
    clientAddr: row.client_addr ?? undefined,
    since: row.backend_start ?? undefined,
    process: parseLeaseApplicationName(applicationName),
  };
}

/** One line naming a holder, for logs and exit messages; `location` is the redacted database URL. */
export function describeLeaseHolder(holder: LeaseHolder | undefined, location: string): string {
  if (!holder) return `an unknown session (it could not be seen; lease in ${location})`;
  const who = holder.process
    ? `pid ${holder.process.pid} on host ${holder.process.host}`
    : `a session named ${JSON.stringify(holder.applicationName || 'unknown')}`;
  const from = holder.clientAddr ? `, connected from ${holder.clientAddr}` : '';
  const since = holder.since ? ` since ${holder.since.toISOString()}` : '';
  return `${who}${from}${since} (PostgreSQL backend pid ${holder.backendPid}; lease in ${location})`;
}
