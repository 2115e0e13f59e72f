/** The HeartbeatStore port over the `bot_heartbeat` table. */
import type { Knex } from 'knex';
import type { Clock, Heartbeat, HeartbeatInput, HeartbeatStore, RuntimeMode } from '../paywall/index.js';
import type { Db } from './create-db.js';
import { fromDbInt, fromDbTime, fromDbTimeOrNull, toDbTime, toDbTimeOrNull } from './values.js';

interface HeartbeatRow {
  bot_id: unknown;
  pid: unknown;
  host: string;
  mode: string;
  started_at: unknown;
  last_poll_at: unknown;
  last_webhook_error_at: unknown;
  conflicts: unknown;
  updated_at: unknown;
}

function toHeartbeat(row: HeartbeatRow): Heartbeat {
  return {
    botId: fromDbInt(row.bot_id),
    pid: fromDbInt(row.pid),
    host: row.host,
    mode: row.mode as RuntimeMode,
    startedAt: fromDbTime(row.started_at),
    lastPollAt: fromDbTimeOrNull(row.last_poll_at),
    lastWebhookErrorAt: fromDbTimeOrNull(row.last_webhook_error_at),
    conflicts: fromDbInt(row.conflicts),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Builds the HeartbeatStore. */
export function createHeartbeatStore(knex: Knex, clock: Clock = { now: () => new Date() }): HeartbeatStore {
  return {
    async write(heartbeat) {
      await knex('bot_heartbeat')
        .insert({
          bot_id: heartbeat.botId,
          pid: heartbeat.pid,
          host: heartbeat.host,
          mode: heartbeat.mode,
          started_at: toDbTime(heartbeat.startedAt),
          last_poll_at: toDbTimeOrNull(heartbeat.lastPollAt),
          last_webhook_error_at: toDbTimeOrNull(heartbeat.lastWebhookErrorAt ?? null),
          conflicts: heartbeat.conflicts,
          updated_at: toDbTime(heartbeat.updatedAt ?? clock.now()),
        })
        .onConflict('bot_id')
        .merge();
    },
    async read(botId) {
      const query = knex('bot_heartbeat');
      if (botId !== undefined) query.where({ bot_id: botId });
      const row: HeartbeatRow | undefined = await query.orderBy('updated_at', 'desc').first();
      return row ? toHeartbeat(row) : undefined;
    },
  };
}

/** Writes one heartbeat of bot `botId` (a shortcut for the bot runtime). */
export async function writeHeartbeat(db: Db, botId: number, record: Omit<HeartbeatInput, 'botId'>): Promise<void> {
  await createHeartbeatStore(db.knex).write({ ...record, botId });
}

/** Reads the heartbeat of `botId`, or the most recent one. */
export async function readHeartbeat(db: Db, botId?: number): Promise<Heartbeat | undefined> {
  return createHeartbeatStore(db.knex).read(botId);
}
