/** A database belongs to one bot: the first bot to use it is recorded, any other is refused. */
import { UsageError } from '../cli/errors.js';
import type { Clock } from '../paywall/index.js';
import type { Db } from './create-db.js';
import { createSettingsStore } from './settings-store.js';

/** The settings key holding the owning bot's numeric id. */
export const BOT_ID_SETTING = 'bot_id';

/** Records `botId` on first use; throws UsageError (exit 2) when the database belongs to another bot. */
export async function ensureBotId(db: Db, botId: number, clock?: Clock): Promise<void> {
  const stored = await createSettingsStore(db.knex, clock).setIfAbsent(BOT_ID_SETTING, String(botId));
  if (stored !== String(botId)) {
    throw new UsageError(
      `This database belongs to bot ${stored}, but TELEGRAM_BOT_TOKEN is for bot ${botId}.`,
      `Use the token of bot ${stored}, or point DATABASE_URL at another database.`,
    );
  }
}
