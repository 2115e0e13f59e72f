/** `paywall db migrate`: applies pending migrations (every command also does so on start). */
import type { Config } from '../../config/config.js';
import { createDb, ensureBotId, migrateLatest, releaseMigrationLock } from '../../db/index.js';
import type { Logger } from '../../log/logger.js';
import { EXIT } from '../errors.js';
import type { CommandIo } from './plans.js';

/** Flags of `db migrate`. */
export interface DbMigrateOptions {
  /** Free a migration lock left by an interrupted process before migrating. */
  unlock?: boolean;
}

/** `db migrate [--unlock]`: logs what it applied; prints nothing on stdout. */
export async function dbMigrate(config: Config, logger: Logger, options: DbMigrateOptions = {}, _io?: CommandIo): Promise<number> {
  const db = await createDb(config.database, logger);
  try {
    if (options.unlock) {
      await releaseMigrationLock(db);
      logger.warn('Released the migration lock');
    }
    const applied = await migrateLatest(db, logger);
    if (config.botId !== undefined) await ensureBotId(db, config.botId);
    if (applied.length === 0) logger.info(`The database schema of ${db.location} is up to date`);
  } finally {
    await db.close();
  }
  return EXIT.OK;
}
