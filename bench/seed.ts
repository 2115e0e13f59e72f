/**
 * Seeds N demo users (argv[2], default 100000) into a fresh SQLite file in a
 * temp directory and prints the write rate. Not run by the tests:
 * `node dist/bench/seed.js 100000`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatabaseUrl } from '../src/config/config.js';
import { createDb, migrateLatest } from '../src/db/index.js';
import { seedDatabase } from '../src/db/seed/index.js';
import { createLogger } from '../src/log/logger.js';

const users = Number(process.argv[2] ?? 100_000);
if (!Number.isSafeInteger(users) || users < 1) throw new Error(`expected a user count, got ${process.argv[2]}`);
const dir = await mkdtemp(join(tmpdir(), 'paywall-bench-seed-'));
const logger = createLogger({ logLevel: 'warn', logFormat: 'json', secrets: [] });
const db = await createDb(parseDatabaseUrl(`sqlite:${join(dir, 'paywall.db')}`, dir), logger);
try {
  await migrateLatest(db, logger);
  const r = await seedDatabase(db, { users, chatId: -1001000000001, now: new Date() });
  const seconds = r.elapsedMs / 1000;
  process.stdout.write(`sqlite: ${r.users} users, ${r.payments} payments, ${r.rows} rows in ${seconds.toFixed(2)} s: ${Math.round(r.rows / seconds)} rows/s, ${Math.round(r.users / seconds)} users/s\n`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
