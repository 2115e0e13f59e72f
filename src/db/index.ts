/** The storage layer's public surface: opening, migrating, and the stores implementing the domain's ports. */
export { createDb, type Db, type CreateDbOptions } from './create-db.js';
export { DatabaseUnavailableError } from './db-errors.js';
export { pingDb } from './ping-db.js';
export { migrateLatest, releaseMigrationLock, knownMigrations, createMigrationSource, type MigrateOptions } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export { ensureBotId, BOT_ID_SETTING } from './bot-id.js';
export { openDb } from './open-db.js';
export { createPlanStore } from './plan-store.js';
export { createSettingsStore } from './settings-store.js';
export { createHeartbeatStore, writeHeartbeat, readHeartbeat } from './heartbeat-store.js';
export * from './values.js';
