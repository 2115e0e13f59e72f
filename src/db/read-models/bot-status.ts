/**
 * The bot runtime's status from its heartbeat: running when the heartbeat is
 * younger than 15 s; healthy when running and, in polling mode, a poll
 * succeeded within the last two 30 s poll timeouts, or in webhook mode no
 * delivery failed in the last minute.
 */
import type { Knex } from 'knex';
import type { Heartbeat, RuntimeMode } from '../../paywall/index.js';
import { createHeartbeatStore } from '../heartbeat-store.js';

/** `GET /api/bot`. */
export interface BotStatus {
  running: boolean;
  healthy: boolean;
  pid: number | null;
  host: string | null;
  mode: RuntimeMode | null;
  startedAt: Date | null;
  lastPollAt: Date | null;
  /** Conflict (409) episodes since the runtime started. */
  conflicts: number;
}

/** A heartbeat older than this means no runtime is running. */
export const RUNNING_WITHIN_MS = 15_000;
/** Two long-poll timeouts of 30 s. */
export const POLLED_WITHIN_MS = 60_000;
/** A webhook delivery error this recent makes the runtime unhealthy. */
export const WEBHOOK_ERROR_WITHIN_MS = 60_000;

const age = (at: Date, now: Date) => Math.max(0, now.getTime() - at.getTime());

/** The status a heartbeat (or none) shows at `now`. */
export function botStatusOf(heartbeat: Heartbeat | undefined, now: Date): BotStatus {
  if (!heartbeat) {
    return { running: false, healthy: false, pid: null, host: null, mode: null, startedAt: null, lastPollAt: null, conflicts: 0 };
  }
  const running = age(heartbeat.updatedAt, now) < RUNNING_WITHIN_MS;
  const healthy = running && (heartbeat.mode === 'polling'
    ? heartbeat.lastPollAt !== null && age(heartbeat.lastPollAt, now) <= POLLED_WITHIN_MS
    : heartbeat.lastWebhookErrorAt === null || age(heartbeat.lastWebhookErrorAt, now) > WEBHOOK_ERROR_WITHIN_MS);
  return {
    running,
    healthy,
    pid: heartbeat.pid,
    host: heartbeat.host,
    mode: heartbeat.mode,
    startedAt: heartbeat.startedAt,
    lastPollAt: heartbeat.lastPollAt,
    conflicts: heartbeat.conflicts,
  };
}

/** Reads the status of bot `botId` (or of the most recent heartbeat when unknown). */
export async function readBotStatus(knex: Knex, now: Date, botId?: number): Promise<BotStatus> {
  return botStatusOf(await createHeartbeatStore(knex).read(botId), now);
}
