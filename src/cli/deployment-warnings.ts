/**
 * Problems with how this process is deployed that can be seen at start:
 * a SQLite file on a platform whose disk is wiped at every deploy. Shown on
 * the dashboard's warnings page and by `paywall doctor`.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Config } from '../config/config.js';

/** Whether `file` lies inside `dir` (or is it). */
function isInside(file: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The warnings for `config` under `env`. Railway (RAILWAY_ENVIRONMENT or
 * RAILWAY_PROJECT_ID set) keeps files only on a mounted volume
 * (RAILWAY_VOLUME_MOUNT_PATH); Heroku's dynos (DYNO set) lose them at
 * every restart.
 */
export function deploymentWarnings(config: Config, env: Record<string, string | undefined>): string[] {
  const warnings: string[] = [];
  if (config.database.kind !== 'sqlite') return warnings;
  const file = config.database.filename;
  const onRailway = Boolean(env.RAILWAY_ENVIRONMENT || env.RAILWAY_ENVIRONMENT_NAME || env.RAILWAY_PROJECT_ID);
  const volume = env.RAILWAY_VOLUME_MOUNT_PATH;
  if (onRailway && !(volume && isInside(file, volume))) {
    warnings.push(`The database is a SQLite file (${file}) on Railway's ephemeral disk: every deploy or restart erases it, with every payment and subscription. Set DATABASE_URL to a PostgreSQL database (Railway's PostgreSQL plugin), or put the file on a mounted volume.`);
  } else if (env.DYNO) {
    warnings.push(`The database is a SQLite file (${file}) on a dyno's ephemeral disk: every restart erases it. Set DATABASE_URL to a PostgreSQL database.`);
  }
  return warnings;
}
