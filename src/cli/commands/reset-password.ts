/**
 * `paywall reset-password`: a new random admin password. Refused (exit 2)
 * while DASHBOARD_PASSWORD is set, since that one wins. Otherwise opens (and
 * migrates) the database and, in one transaction, overwrites the stored hash,
 * ends every dashboard session and audits the reset; then prints the password
 * once, as one bare line on stdout (never through the logger). A running
 * dashboard reads the hash on every check, so the change holds at once.
 */
import type { Config } from '../../config/config.js';
import { generatePassword, hashPassword, PASSWORD_HASH_SETTING } from '../../dashboard/auth/password.js';
import { createAuditRepo, createSettingsStore, openDb } from '../../db/index.js';
import { createSessionStore } from '../../db/session-store.js';
import type { Logger } from '../../log/logger.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandIo } from './plans.js';

/** Who the audit log names for a reset from the command line. */
export const RESET_ACTOR = 'cli:reset-password';

/** `reset-password`: stores a new password's hash, ends all sessions, prints the password. */
export async function resetPassword(config: Config, logger: Logger, io: CommandIo): Promise<number> {
  if (config.dashboardPassword !== undefined) {
    throw new UsageError(
      'DASHBOARD_PASSWORD is set, and the dashboard uses it instead of a stored password: resetting would change nothing.',
      'Change DASHBOARD_PASSWORD where it is set (environment or .env) to change the password, or unset it and run `paywall reset-password` again.',
    );
  }
  const password = generatePassword();
  const hash = await hashPassword(password);
  const db = await openDb(config, logger);
  let ended: number;
  try {
    ended = await db.knex.transaction(async (trx) => {
      const now = new Date();
      await createSettingsStore(trx).set(PASSWORD_HASH_SETTING, hash);
      const count = await createSessionStore(trx).deleteAll();
      await createAuditRepo(trx).record({ actor: RESET_ACTOR, action: 'reset_password', target: null, details: { sessionsEnded: count } }, now);
      return count;
    });
  } finally {
    await db.close();
  }
  io.stdout(`${password}\n`);
  logger.warn(`Set a new dashboard password (user "admin"), printed once on standard output, and ended ${ended} dashboard session${ended === 1 ? '' : 's'}. The old password no longer works.`);
  return EXIT.OK;
}
