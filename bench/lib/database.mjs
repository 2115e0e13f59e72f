/**
 * A fresh database per benchmark: a SQLite file in a temp directory, or a new
 * PostgreSQL database on PAYWALL_BENCH_PG_URL / PAYWALL_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';

/** The kinds a benchmark accepts with --db. */
export const DB_KINDS = ['sqlite', 'postgres'];

function adminUrl() {
  return process.env.PAYWALL_BENCH_PG_URL || process.env.PAYWALL_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

function pgKnex(url) {
  return knex({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 10_000 }, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 10_000 });
}

/** A temp directory removed when the scope closes. */
export async function tempDir(scope, prefix = 'paywall-bench-') {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scope.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Creates the database; returns its DATABASE_URL, a `count(table)` helper
 * (its own short-lived connection) and the kind.
 */
export async function createDatabase(scope, kind) {
  if (!DB_KINDS.includes(kind)) throw new Error(`--db: expected sqlite or postgres, got ${JSON.stringify(kind)}`);
  if (kind === 'sqlite') {
    const dir = await tempDir(scope, 'paywall-bench-db-');
    const file = join(dir, 'paywall.db');
    const connect = () => knex({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 0, max: 1 } });
    return { kind, url: `sqlite:${file}`, file, count: (table) => countRows(connect, table) };
  }
  const name = `paywall_bench_${randomBytes(5).toString('hex')}`;
  const admin = pgKnex(adminUrl());
  try {
    await admin.raw('create database ??', [name]);
  } catch (err) {
    throw new Error(`could not create a PostgreSQL database at ${new URL(adminUrl()).host} (${err.message}); set PAYWALL_BENCH_PG_URL or use --db sqlite`);
  } finally {
    await admin.destroy();
  }
  scope.defer(async () => {
    const dropper = pgKnex(adminUrl());
    try {
      await dropper.raw('drop database if exists ?? with (force)', [name]);
    } finally {
      await dropper.destroy();
    }
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { kind, url: url.toString(), count: (table) => countRows(() => pgKnex(url.toString()), table) };
}

async function countRows(connect, table) {
  const db = connect();
  try {
    const [row] = await db(table).count({ n: '*' });
    return Number(row.n);
  } finally {
    await db.destroy();
  }
}
