/**
 * seedDatabase: appends demo users and their purchases in batches, each batch
 * one transaction of multi-row inserts, with ids computed up front from the
 * current maxima (so nothing is read back and nothing existing is touched).
 */
import type { Knex } from 'knex';
import type { Db } from '../create-db.js';
import { fromDbInt } from '../values.js';
import { generateBatch, type IdCursor } from './generate.js';
import { ensureSeedPlans } from './plans.js';
import { createRandom } from './random.js';
import { insertRows } from './write.js';

/** Telegram-like ids for a database without users. */
const FIRST_USER_ID = 200_000_001;
const MAX_USERS_PER_BATCH = 5_000;
/** Batches per run, at least: progress then moves in steps of about 5%. */
const MIN_BATCHES = 20;

/** Rows already in the tables a seed refuses to mix with. */
export interface ExistingData {
  users: number;
  plans: number;
  payments: number;
}

/** Progress after each batch. */
export interface SeedProgress {
  usersDone: number;
  usersTotal: number;
  rows: number;
  elapsedMs: number;
}

/** Options of seedDatabase. */
export interface SeedOptions {
  users: number;
  /** The chat new demo plans protect. */
  chatId: number;
  now: Date;
  onProgress?: (progress: SeedProgress) => void;
}

/** What a seed wrote. */
export interface SeedResult {
  users: number;
  plansCreated: number;
  orders: number;
  subscriptions: number;
  payments: number;
  refunded: number;
  /** Every row inserted, in all tables. */
  rows: number;
  elapsedMs: number;
}

/** Counts users, plans and payments: any of them makes a database non-empty for the seed. */
export async function countExisting(knex: Knex): Promise<ExistingData> {
  const count = async (table: string) => fromDbInt(((await knex(table).count({ n: '*' })) as [{ n: unknown }])[0].n);
  return { users: await count('users'), plans: await count('plans'), payments: await count('payments') };
}

/** Appends `options.users` demo users with their orders, subscriptions and payments. */
export async function seedDatabase(db: Db, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const nowMs = options.now.getTime();
  const { knex } = db;
  const { plans, created } = await ensureSeedPlans(knex, options.chatId, nowMs);
  const firstUserId = Math.max(FIRST_USER_ID - 1, await maxId(knex, 'users')) + 1;
  const cursor: IdCursor = { orderId: (await maxId(knex, 'orders')) + 1, subscriptionId: (await maxId(knex, 'subscriptions')) + 1 };
  const startCursor = { ...cursor };
  const rand = createRandom(firstUserId);
  const perBatch = Math.max(1, Math.min(MAX_USERS_PER_BATCH, Math.ceil(options.users / MIN_BATCHES)));
  const result: SeedResult = { users: 0, plansCreated: created, orders: 0, subscriptions: 0, payments: 0, refunded: 0, rows: created * 2, elapsedMs: 0 };
  for (let done = 0; done < options.users; done += perBatch) {
    const count = Math.min(perBatch, options.users - done);
    const batch = generateBatch(rand, plans, firstUserId + done, count, cursor, nowMs);
    await knex.transaction(async (trx) => {
      for (const table of batch.tables) result.rows += await insertRows(trx, db.kind, table);
    });
    result.users += count;
    result.payments += batch.tables.find((t) => t.table === 'payments')!.rows.length;
    result.refunded += batch.refunded;
    options.onProgress?.({ usersDone: result.users, usersTotal: options.users, rows: result.rows, elapsedMs: Date.now() - started });
  }
  result.orders = cursor.orderId - startCursor.orderId;
  result.subscriptions = cursor.subscriptionId - startCursor.subscriptionId;
  if (db.kind === 'postgres') await syncSequences(knex);
  // Fresh planner statistics: without them PostgreSQL plans the dashboard's
  // queries for empty tables until autovacuum catches up (seconds instead of
  // milliseconds for the overview after a large seed).
  await knex.raw('analyze');
  result.elapsedMs = Date.now() - started;
  return result;
}

async function maxId(knex: Knex, table: string): Promise<number> {
  const [row] = (await knex(table).max({ m: 'id' })) as [{ m: unknown }];
  return row.m === null || row.m === undefined ? 0 : fromDbInt(row.m);
}

/** PostgreSQL's serial sequences do not see explicit ids: move them past the seeded rows. */
async function syncSequences(knex: Knex): Promise<void> {
  for (const table of ['orders', 'subscriptions']) {
    await knex.raw(`select setval(pg_get_serial_sequence(?, 'id'), coalesce((select max(id) from ??), 0) + 1, false)`, [table, table]);
  }
}
