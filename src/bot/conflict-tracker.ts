/**
 * 409 Conflict episodes (SPEC 5 item 3). An episode starts at a 409 and ends
 * after one full long poll with no 409: a poll that succeeds once we have been
 * polling, without a 409, for at least a whole long-poll timeout. The clock
 * starts when polling resumes after the backoff, not at the 409: the other
 * consumer may have polled all through our wait. A poller outside our locks
 * that alternates with ours (our poll sometimes wins) is therefore one
 * episode, not one per 409. One diagnostic per episode, backoff 5 s growing
 * to 60 s with jitter (it keeps growing through the episode), and a give-up
 * time, counted from the episode's first 409, after which the runtime exits 5.
 */
import type { Logger } from 'pino';

/** The first wait after a 409. */
export const FIRST_BACKOFF_MS = 5_000;
/** The longest wait after a 409, jitter included. */
export const MAX_BACKOFF_MS = 60_000;

/** What the poller does next after a 409. */
export type ConflictDecision = { giveUp: false; delayMs: number } | { giveUp: true; reason: string };

/** The episode in progress, in epoch milliseconds. */
export interface ConflictEpisode {
  /** Its first 409: the give-up time counts from here. */
  readonly startedAt: number;
  readonly lastConflictAt: number;
  /** The first poll after the latest 409; undefined while still backing off. */
  readonly pollingSince: number | undefined;
}

/** Tracks conflict episodes for one runtime. */
export interface ConflictTracker {
  /** Records a 409; `webhook` when Telegram says a webhook is active. */
  onConflict(webhook: boolean): ConflictDecision;
  /** Records that a getUpdates is being sent. */
  onPollStarted(): void;
  /** Records a successful poll: ends the episode once we have polled a full long poll without a 409. */
  onSuccess(): void;
  /** Episodes seen since start. */
  episodes(): number;
  /** The episode in progress, if any. */
  current(): ConflictEpisode | undefined;
}

/** Options for createConflictTracker. */
export interface ConflictTrackerOptions {
  logger: Logger;
  giveUpMs: number;
  /** The long-poll timeout in milliseconds: polling this long without a 409, then a successful poll, ends an episode. */
  longPollMs: number;
  now?: () => number;
  random?: () => number;
  onEpisodeStart?: () => void;
  onEpisodeEnd?: () => void;
}

const OTHER_POLLER_DIAGNOSTIC =
  'Telegram reports 409 Conflict: another process is polling this token. Likely cause: an old deployment still running, ' +
  "or the bot started on another host outside paywall's lock. Fix: stop the other instance (check old Railway deployments " +
  'and other hosts). Retrying with backoff until it goes away; this is logged once per episode.';
const WEBHOOK_DIAGNOSTIC =
  'Telegram refuses getUpdates because a webhook is set for this token. Likely cause: a dashboard in webhook mode ' +
  '(WEBHOOK_URL) or another deployment set it. Fix: stop that deployment, or restart this bot with --delete-webhook. ' +
  'Retrying with backoff; this is logged once per episode.';

/** The wait before retry number `attempt` (0-based): 5 s doubling, ±20 % jitter, never above 60 s. */
export function conflictBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempt, 10));
  return Math.min(MAX_BACKOFF_MS, Math.round(base * (0.8 + random() * 0.4)));
}

/** Builds a tracker. */
export function createConflictTracker(options: ConflictTrackerOptions): ConflictTracker {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let episodes = 0;
  let episode: ConflictEpisode | undefined;
  let attempt = 0;
  return {
    onConflict(webhook) {
      const at = now();
      if (episode === undefined) {
        episode = { startedAt: at, lastConflictAt: at, pollingSince: undefined };
        attempt = 0;
        episodes += 1;
        options.onEpisodeStart?.();
        options.logger.warn({ episode: episodes }, webhook ? WEBHOOK_DIAGNOSTIC : OTHER_POLLER_DIAGNOSTIC);
      } else {
        episode = { startedAt: episode.startedAt, lastConflictAt: at, pollingSince: undefined };
        options.logger.debug({ episode: episodes, attempt }, 'Another 409 Conflict in the same episode');
      }
      const elapsed = at - episode.startedAt;
      if (elapsed >= options.giveUpMs) {
        return { giveUp: true, reason: `Another consumer kept this token busy for ${Math.round(elapsed / 1000)} s (PAYWALL_CONFLICT_GIVEUP reached).` };
      }
      const delay = conflictBackoffMs(attempt, random);
      attempt += 1;
      // The last retry comes just after the give-up time, not up to a whole backoff later.
      return { giveUp: false, delayMs: Math.min(delay, options.giveUpMs - elapsed + 1) };
    },
    onPollStarted() {
      if (episode !== undefined && episode.pollingSince === undefined) episode = { ...episode, pollingSince: now() };
    },
    onSuccess() {
      if (episode?.pollingSince === undefined || now() - episode.pollingSince < options.longPollMs) return;
      options.logger.info({ episodeSeconds: Math.round((now() - episode.startedAt) / 1000) }, 'The 409 conflict is over: polling normally again');
      episode = undefined;
      options.onEpisodeEnd?.();
    },
    episodes: () => episodes,
    current: () => episode,
  };
}
