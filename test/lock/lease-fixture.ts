/**
 * Set-up for the database lease tests: a fresh PostgreSQL database per test
 * (advisory locks are per database), a URL carrying a password (trust auth
 * ignores it) so that tests can prove it never leaks, leases that are released
 * before the database is dropped, and an admin connection.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import knex, { type Knex } from 'knex';
import {
  acquireDatabaseLease,
  type DatabaseLease,
  type DatabaseLeaseOptions,
  type LeaseLostError,
  type PostgresDatabaseConfig,
} from '../../src/lock/database-lease.js';
import { capturingLogger, type TestDatabase } from '../helpers/databases.js';

/** Put in every lease URL; must never show up in a message or a log line. */
export const PASSWORD = 'lease-secret-Pw9';

/** What a lease reported, in order. */
export interface LeaseEvents {
  lost: LeaseLostError[];
  regained: number;
  onLost: (err: LeaseLostError) => void;
  onRegained: () => void;
}

/** One test's database and helpers. */
export interface LeaseFixture {
  database: PostgresDatabaseConfig;
  tokenHash: string;
  /** The same database through another port (a TCP proxy). */
  viaPort(port: number): PostgresDatabaseConfig;
  /** Takes a lease (released in cleanup) with its own recorder and capturing logger. */
  acquire(overrides?: Partial<DatabaseLeaseOptions>): Promise<{ lease: DatabaseLease; events: LeaseEvents; lines: string[] }>;
  /** A logger and recorder for a call made by the test itself. */
  observe(): { events: LeaseEvents; lines: string[]; logger: DatabaseLeaseOptions['logger'] };
  admin: Knex;
  /** Runs at cleanup, before the leases are released. */
  defer(fn: () => unknown): void;
}

/** A new random token hash (16 hex, as Config.tokenHash). */
export function randomTokenHash(): string {
  return randomBytes(8).toString('hex');
}

function withPassword(url: string, port?: number): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

function recorder(): LeaseEvents {
  const events: LeaseEvents = {
    lost: [],
    regained: 0,
    onLost: (err) => void events.lost.push(err),
    onRegained: () => void events.regained++,
  };
  return events;
}

/** Creates the fixture; everything it made is undone in t.after, leases first. */
export async function leaseFixture(t: TestContext, pg: TestDatabase): Promise<LeaseFixture> {
  const created = await pg.create();
  const admin = knex({ client: 'pg', connection: created.url, pool: { min: 0, max: 1 } });
  const leases: DatabaseLease[] = [];
  const deferred: (() => unknown)[] = [];
  t.after(async () => {
    for (const fn of deferred) await fn();
    await Promise.all(leases.map((lease) => lease.release()));
    await admin.destroy();
    await created.drop();
  });
  const database: PostgresDatabaseConfig = { kind: 'postgres', url: withPassword(created.url) };
  const tokenHash = randomTokenHash();
  const observe = () => {
    const { logger, lines } = capturingLogger('debug');
    return { events: recorder(), lines, logger };
  };
  return {
    database,
    tokenHash,
    viaPort: (port) => ({ kind: 'postgres', url: withPassword(created.url, port) }),
    async acquire(overrides = {}) {
      const { events, lines, logger } = observe();
      const lease = await acquireDatabaseLease({
        database, tokenHash, logger, wait: false, onLost: events.onLost, onRegained: events.onRegained, ...overrides,
      });
      leases.push(lease);
      return { lease, events, lines };
    },
    observe,
    admin,
    defer: (fn) => void deferred.push(fn),
  };
}

/** Resolves with `promise`, or rejects after `ms` naming what it waited for. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A proxy whose freeze() makes the open connections silent both ways while keeping the server's side open. */
export interface FreezingProxy {
  readonly port: number;
  /** From now on the open connections carry nothing and the server never sees them close; new ones work. */
  freeze(): void;
}

/**
 * Starts a proxy to PostgreSQL (127.0.0.1:5432) for a host that vanishes
 * without a FIN: after freeze(), the server keeps a session whose client is
 * gone. Closed in t.after.
 */
export async function createFreezingProxy(t: TestContext, targetPort = 5432): Promise<FreezingProxy> {
  const sockets = new Set<Socket>();
  const live = new Set<() => void>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let frozen = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => frozen || client.write(chunk));
    const close = () => {
      if (!frozen) {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on('close', close);
    upstream.on('close', close);
    live.add(() => {
      frozen = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      for (const freezeOne of live) freezeOne();
      live.clear();
    },
  };
}
