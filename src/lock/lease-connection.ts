/**
 * The lease's dedicated PostgreSQL session: one `pg.Client` of its own (never
 * from knex's pool, whose connections come and go), with TCP keepalives on
 * both ends, a connect timeout, and every query bounded in time. A query that
 * outlives its timeout destroys the socket: the session is then taken for dead.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { HOLDER_SQL, HOLDS_SQL, holderFromRow, type HolderRow, type LeaseHolder } from './lease-holder.js';
import type { LeaseKey } from './lease-key.js';

/** The part of pg.Client used here (pg ships no types of its own). */
interface PgClient extends EventEmitter {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  readonly processID: number | null;
  readonly connection: { readonly stream: Socket };
}
type PgClientClass = new (config: Record<string, unknown>) => PgClient;

// Server side: PostgreSQL notices a holder whose host vanished (no FIN, no RST) after
// about idle + interval * count seconds, instead of the OS default of two hours.
const SERVER_KEEPALIVES_SQL = `select set_config('tcp_keepalives_idle', '5', false),
  set_config('tcp_keepalives_interval', '2', false), set_config('tcp_keepalives_count', '3', false)`;

/** How to open a lease connection. */
export interface LeaseConnectionSettings {
  /** The PostgreSQL URL (DATABASE_URL). */
  readonly url: string;
  readonly applicationName: string;
  readonly key: LeaseKey;
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

/** An open lease session. */
export interface LeaseConnection {
  /** The PostgreSQL backend pid of this session. */
  readonly backendPid: number;
  /** Calls `listener` once if the session ends by itself (not when close() ends it), even if it already has. */
  onEnd(listener: (err: Error) => void): void;
  /** Stops watching the signal given to openLeaseConnection (it was for winning the lease, not for keeping it). */
  detachSignal(): void;
  /** pg_try_advisory_lock: true when this session now holds the lease. */
  tryLock(): Promise<boolean>;
  /** True while this session holds the lease (also proves the session answers). */
  holdsLock(): Promise<boolean>;
  /** The session holding the lease, if any and visible. */
  findHolder(): Promise<LeaseHolder | undefined>;
  /** pg_terminate_backend(pid): true when the server signalled it. */
  terminate(backendPid: number): Promise<boolean>;
  /** Unlocks (when asked) and ends the session within `timeoutMs`, then destroys the socket. Idempotent. */
  close(timeoutMs: number, unlock?: boolean): Promise<void>;
}

/** The URL with its own application_name removed: in pg, the URL's would win over ours. */
function connectionString(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('application_name');
  return parsed.toString();
}

/** A query went unanswered past its timeout: the session is taken for dead. */
export class LeaseQueryTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`no answer to ${what} within ${ms} ms`);
    this.name = 'LeaseQueryTimeoutError';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout: (err: Error) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = new LeaseQueryTimeoutError(what, ms);
      onTimeout(err);
      reject(err);
    }, ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How a session ends: once, by itself (reported to onEnd listeners) or by close() (not reported). */
interface Lifecycle {
  ended(): Error | undefined;
  end(err: Error): void;
  onEnd(listener: (err: Error) => void): void;
  markClosing(): void;
  detachSignal(): void;
}

function lifecycle(client: PgClient, signal: AbortSignal | undefined): Lifecycle {
  let ended: Error | undefined;
  let closing = false;
  const listeners: ((err: Error) => void)[] = [];
  const onAbort = () => end(new Error('aborted'));
  const end = (err: Error) => {
    if (ended) return;
    ended = err;
    client.connection.stream.destroy();
    signal?.removeEventListener('abort', onAbort);
    if (!closing) for (const listener of listeners.splice(0)) listener(err);
  };
  // Without an 'error' listener a dead idle connection would crash the process.
  client.on('error', (err: Error) => end(err));
  client.on('end', () => end(new Error('the connection was closed')));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    ended: () => ended,
    end,
    onEnd(listener) {
      const endedBefore = ended;
      if (!endedBefore) listeners.push(listener);
      else if (!closing) queueMicrotask(() => listener(endedBefore));
    },
    markClosing: () => void (closing = true),
    detachSignal: () => signal?.removeEventListener('abort', onAbort),
  };
}

/** Opens a lease session; destroys it at once if `signal` aborts. Rejects with the driver's error. */
export async function openLeaseConnection(settings: LeaseConnectionSettings, signal?: AbortSignal): Promise<LeaseConnection> {
  const { Client } = createRequire(import.meta.url)('pg') as { Client: PgClientClass };
  const client = new Client({
    connectionString: connectionString(settings.url),
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
  });
  const life = lifecycle(client, signal);
  const run = async (sql: string, values: unknown[], what: string): Promise<Record<string, unknown>[]> => {
    const ended = life.ended();
    if (ended) throw ended;
    return (await withTimeout(client.query(sql, values), settings.queryTimeoutMs, what, life.end)).rows;
  };
  try {
    await client.connect();
    await run(SERVER_KEEPALIVES_SQL, [], 'setting keepalives').catch((err: unknown) => {
      if (life.ended()) throw err; // a refusal of the settings is harmless; a dead session is not
    });
  } catch (err) {
    life.end(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  const keyValues = [settings.key.namespace, settings.key.key];
  let closed: Promise<void> | undefined;
  return {
    backendPid: client.processID ?? -1,
    onEnd: life.onEnd,
    detachSignal: life.detachSignal,
    tryLock: async () => (await run('select pg_try_advisory_lock($1, $2) as ok', keyValues, 'pg_try_advisory_lock'))[0]?.ok === true,
    holdsLock: async () => (await run(HOLDS_SQL, keyValues, 'the lease check'))[0]?.held === true,
    async findHolder() {
      const [row] = (await run(HOLDER_SQL, keyValues, 'the holder lookup')) as unknown as HolderRow[];
      return row ? holderFromRow(row) : undefined;
    },
    terminate: async (pid) => (await run('select pg_terminate_backend($1) as ok', [pid], 'pg_terminate_backend'))[0]?.ok === true,
    close(timeoutMs, unlock = false) {
      closed ??= (async () => {
        life.markClosing();
        const deadline = Date.now() + timeoutMs;
        if (unlock && !life.ended()) {
          await withTimeout(client.query('select pg_advisory_unlock($1, $2)', keyValues), timeoutMs, 'unlock', life.end).catch(() => undefined);
        }
        const left = deadline - Date.now();
        if (!life.ended() && left > 0) await withTimeout(client.end(), left, 'end', life.end).catch(() => undefined);
        life.end(new Error('closed'));
      })();
      return closed;
    },
  };
}
