/**
 * `paywall db seed --users N [--force]`: realistic demo data. Refuses a
 * database that already has users, plans or payments unless forced; shows a
 * progress bar on a TTY and a progress line every ~5% otherwise, all on
 * stderr; stdout stays empty.
 */
import cliProgress from 'cli-progress';
import type { Config } from '../../config/config.js';
import { openDb } from '../../db/index.js';
import { countExisting, seedDatabase, type SeedProgress, type SeedResult } from '../../db/seed/index.js';
import type { Logger } from '../../log/logger.js';
import { EXIT, UsageError } from '../errors.js';

/** Flags of `db seed`, as commander hands them over. */
export interface DbSeedOptions {
  users: string;
  force?: boolean;
}

/** Where the command writes: stdout (nothing, here) and stderr (progress), and whether stderr is a terminal. */
export interface SeedIo {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

/** The most users one run seeds. */
export const MAX_SEED_USERS = 10_000_000;
/** The chat demo plans protect when PAYWALL_CHAT_ID is not set. */
export const DEMO_CHAT_ID = -1001000000001;

/** `db seed`: appends demo users, plans, orders, subscriptions and payments. */
export async function dbSeed(config: Config, logger: Logger, options: DbSeedOptions, io: SeedIo): Promise<number> {
  const users = parseUserCount(options.users);
  const db = await openDb(config, logger);
  try {
    const existing = await countExisting(db.knex);
    if (!options.force && existing.users + existing.plans + existing.payments > 0) {
      throw new UsageError(
        `The database ${db.location} already has data (${existing.users} users, ${existing.plans} plans, ${existing.payments} payments).`,
        'Pass --force to append demo data to it (nothing is deleted), or point --db at an empty database.',
      );
    }
    const progress = io.isTTY ? barProgress(users) : lineProgress(io);
    let result: SeedResult;
    try {
      result = await seedDatabase(db, { users, chatId: config.defaultChatId ?? DEMO_CHAT_ID, now: new Date(), onProgress: progress.update });
    } finally {
      progress.stop();
    }
    io.stderr(`${summary(result)}\n`);
  } finally {
    await db.close();
  }
  return EXIT.OK;
}

/** `--users` as a whole number from 1 to MAX_SEED_USERS. */
export function parseUserCount(value: string): number {
  const n = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SEED_USERS) {
    throw new UsageError(`--users: expected a whole number from 1 to ${MAX_SEED_USERS}, got ${JSON.stringify(value)}.`, 'Example: paywall db seed --users 10000');
  }
  return n;
}

interface ProgressSink {
  update(progress: SeedProgress): void;
  stop(): void;
}

const rate = (rows: number, ms: number): number => Math.round(rows / Math.max(ms / 1000, 0.001));

/** A progress line each time another ~5% of the users is done. */
function lineProgress(io: SeedIo): ProgressSink {
  let nextPercent = 5;
  return {
    update({ usersDone, usersTotal, rows, elapsedMs }) {
      const percent = Math.floor((usersDone / usersTotal) * 100);
      if (percent < nextPercent && usersDone < usersTotal) return;
      nextPercent = (Math.floor(percent / 5) + 1) * 5;
      io.stderr(`seeded ${usersDone}/${usersTotal} users (${percent}%), ${rate(rows, elapsedMs)} rows/s\n`);
    },
    stop: () => undefined,
  };
}

/** cli-progress's bar on the terminal's stderr. */
function barProgress(total: number): ProgressSink {
  const bar = new cliProgress.SingleBar(
    { format: 'seeding [{bar}] {percentage}% | {value}/{total} users | {rate} rows/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  return {
    update: ({ usersDone, rows, elapsedMs }) => bar.update(usersDone, { rate: rate(rows, elapsedMs) }),
    stop: () => bar.stop(),
  };
}

function summary(r: SeedResult): string {
  const seconds = (r.elapsedMs / 1000).toFixed(1);
  return `seeded ${r.users} users, ${r.plansCreated} plans, ${r.orders} orders, ${r.subscriptions} subscriptions, ${r.payments} payments (${r.refunded} refunded): ${r.rows} rows in ${seconds} s, ${rate(r.rows, r.elapsedMs)} rows/s`;
}
