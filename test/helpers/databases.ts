/**
 * Test databases: a fresh SQLite file, and a fresh PostgreSQL database when a
 * server is reachable at PAYWALL_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test). Each create() makes a new, empty
 * database; drop() removes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import knex, { type Knex } from 'knex';
import { parseDatabaseUrl, redactUrl, type DatabaseConfig } from '../../src/config/config.js';
import { createDb, migrateLatest, type Db } from '../../src/db/index.js';
import { createLogger, type Logger } from '../../src/log/logger.js';

/** One new database. */
export interface CreatedDatabase {
  /** DATABASE_URL for it: `sqlite:/tmp/…/paywall.db` or `postgres://…/paywall_t_…`. */
  url: string;
  /** The same, parsed. */
  database: DatabaseConfig;
  /** Removes it (terminating PostgreSQL connections first). */
  drop(): Promise<void>;
}

/** A kind of database tests run against. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  create(): Promise<CreatedDatabase>;
}

const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

function adminUrl(): string {
  return process.env.PAYWALL_TEST_PG_URL || DEFAULT_PG_URL;
}

function adminKnex(url: string, timeoutMs = 10_000): Knex {
  return knex({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: timeoutMs } as Knex.PgConnectionConfig,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: timeoutMs,
  });
}

let reachable: Promise<boolean> | undefined;

async function probePostgres(url: string): Promise<boolean> {
  const admin = adminKnex(url, 2_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 2_000);
    });
    return await Promise.race([admin.raw('select 1').then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.destroy().catch(() => undefined);
  }
}

const sqlite: TestDatabase = {
  kind: 'sqlite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'paywall-db-'));
    const url = `sqlite:${join(dir, 'paywall.db')}`;
    return { url, database: parseDatabaseUrl(url, dir), drop: () => rm(dir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestDatabase {
  return {
    kind: 'postgres',
    async create() {
      const name = `paywall_t_${randomBytes(6).toString('hex')}`;
      const admin = adminKnex(baseUrl);
      try {
        await admin.raw('create database ??', [name]);
      } finally {
        await admin.destroy();
      }
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      let dropped: Promise<void> | undefined;
      const drop = async () => {
        const dropper = adminKnex(baseUrl);
        try {
          await dropper.raw('select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()', [name]);
          // WITH (FORCE) also ends connections opened after the terminate above (a test's process still shutting down).
          await dropper.raw('drop database if exists ?? with (force)', [name]);
        } finally {
          await dropper.destroy();
        }
      };
      return { url: url.toString(), database: parseDatabaseUrl(url.toString(), process.cwd()), drop: () => (dropped ??= drop()) };
    },
  };
}

/**
 * The databases to run against: SQLite always; PostgreSQL when reachable (probed
 * once, 2 s), or always under CI so that a missing server fails loudly.
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const url = adminUrl();
  reachable ??= probePostgres(url).then((ok) => {
    if (!ok && !process.env.CI) {
      process.stderr.write(`PostgreSQL unreachable at ${redactUrl(url)}: skipping the PostgreSQL variants (set PAYWALL_TEST_PG_URL)\n`);
    }
    return ok;
  });
  const ok = await reachable;
  return ok || process.env.CI ? [sqlite, postgres(url)] : [sqlite];
}

/** An opened, migrated test database, closed and dropped when the test ends. */
export interface OpenTestDb {
  created: CreatedDatabase;
  db: Db;
}

/** Creates a fresh database of `testDb`'s kind, opens and migrates it; cleanup is registered on `t`. */
export async function openTestDb(t: TestContext, testDb: TestDatabase, logger: Logger = silentLogger()): Promise<OpenTestDb> {
  const created = await testDb.create();
  let db: Db | undefined;
  t.after(async () => {
    await db?.close();
    await created.drop();
  });
  db = await createDb(created.database, logger);
  await migrateLatest(db, logger);
  return { created, db };
}

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return createLogger({ logLevel: 'silent', logFormat: 'json', secrets: [] });
}

/** A logger that keeps its JSON lines in `lines`. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ logLevel: level, logFormat: 'json', secrets: [], write: (line) => void lines.push(line) }), lines };
}
