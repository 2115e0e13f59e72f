/**
 * The runtime's heartbeat (SPEC 5): written every 5 s so the dashboard can
 * tell a running runtime from a dead one, and a live one that gets no updates.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { HeartbeatInput } from '../paywall/index.js';

/** One heartbeat row. */
export type HeartbeatRecord = Omit<HeartbeatInput, 'botId' | 'updatedAt' | 'lastWebhookErrorAt'> & { lastWebhookErrorAt: Date | null };

/** The state the heartbeat reports, updated by the runtime. */
export interface HeartbeatState {
  markPoll(): void;
  markConflictEpisode(): void;
  /** Webhook mode: the time of the last delivery error Telegram reports (getWebhookInfo's last_error_date), or null. */
  markWebhookError(at: Date | null): void;
  snapshot(): HeartbeatRecord;
}

/** Options for startHeartbeat. */
export interface HeartbeatOptions {
  mode: 'polling' | 'webhook';
  write: (record: HeartbeatRecord) => Promise<void>;
  logger: Logger;
  intervalMs?: number;
}

/** A running heartbeat writer. */
export interface Heartbeat extends HeartbeatState {
  stop(): Promise<void>;
}

/** Starts writing heartbeats at once and every interval. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const record: { -readonly [K in keyof HeartbeatRecord]: HeartbeatRecord[K] } = {
    pid: process.pid,
    host: hostname(),
    mode: options.mode,
    startedAt: new Date(),
    lastPollAt: null,
    conflicts: 0,
    lastWebhookErrorAt: null,
  };
  let failing = false;
  let inFlight: Promise<void> = Promise.resolve();
  const beat = () => {
    inFlight = options.write({ ...record }).then(
      () => { if (failing) options.logger.info('Heartbeat written again'); failing = false; },
      (err: unknown) => {
        if (!failing) options.logger.warn(`Could not write the heartbeat: ${(err as Error).message}`);
        failing = true;
      },
    );
  };
  beat();
  const timer = setInterval(beat, options.intervalMs ?? 5_000);
  timer.unref();
  return {
    markPoll: () => {
      const first = record.lastPollAt === null;
      record.lastPollAt = new Date();
      // The first successful poll is news for the dashboard at once; later ones ride on the regular beat.
      if (first) beat();
    },
    markConflictEpisode: () => { record.conflicts += 1; beat(); },
    markWebhookError: (at) => {
      const changed = (at?.getTime() ?? null) !== (record.lastWebhookErrorAt?.getTime() ?? null);
      record.lastWebhookErrorAt = at;
      if (changed) beat();
    },
    snapshot: () => ({ ...record }),
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
