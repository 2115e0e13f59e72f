/** openDb: what every command does first — open the database, migrate it, check it belongs to this bot. */
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { ensureBotId } from './bot-id.js';
import { createDb, type Db } from './create-db.js';
import { migrateLatest } from './migrate.js';

/** Opens and migrates the configured database (and records or checks the bot id when a token is set). */
export async function openDb(config: Pick<Config, 'database' | 'botId'>, logger: Logger): Promise<Db> {
  const db = await createDb(config.database, logger);
  try {
    await migrateLatest(db, logger);
    if (config.botId !== undefined) await ensureBotId(db, config.botId);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
