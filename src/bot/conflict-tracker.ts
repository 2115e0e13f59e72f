/**
 * 409 Conflict episodes (SPEC 5 item 3): an episode starts at a 409 and ends at
 * the next poll that succeeds. One diagnostic per episode, backoff 5 s growing
 * to 60 s with jitter, and a give-up time after which the runtime exits 5.
 */
import type { Logger } from 'pino';

const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;

/** What the poller does next after a 409. */
export type ConflictDecision = { giveUp: false; delayMs: number } | { giveUp: true; reason: string };

/** Tracks conflict episodes for one runtime. */
export interface ConflictTracker {
  /** Records a 409; `webhook` when Telegram says a webhook is active. */
  onConflict(webhook: boolean): ConflictDecision;
  /** Records a successful poll: ends the episode, if any. */
  onSuccess(): void;
  /** Episodes seen since start. */
  episodes(): number;
}

/** Options for createConflictTracker. */
export interface ConflictTrackerOptions {
  logger: Logger;
  giveUpMs: number;
  now?: () => number;
  random?: () => number;
  onEpisodeStart?: () => void;
}

/** Builds a tracker. */
export function createConflictTracker(options: ConflictTrackerOptions): ConflictTracker {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let episodes = 0;
  let startedAt: number | undefined;
  let attempt = 0;
  return {
    onConflict(webhook) {
      if (startedAt === undefined) {
        startedAt = now();
        attempt = 0;
        episodes += 1;
        options.onEpisodeStart?.();
        options.logger.warn(
          webhook
            ? 'Telegram refuses getUpdates because a webhook is set for this token. Likely cause: a dashboard in webhook mode (WEBHOOK_URL) or another deployment set it. Fix: stop that deployment, or restart this bot with --delete-webhook. Retrying with backoff.'
            : 'Telegram reports 409 Conflict: another process is polling this token. Likely cause: an old deployment still running, or the bot started on another host outside paywall\'s lock. Fix: stop the other instance (check old Railway deployments and other hosts). Retrying with backoff until it goes away.',
        );
      }
      const elapsed = now() - startedAt;
      if (elapsed >= options.giveUpMs) {
        return { giveUp: true, reason: `Another consumer kept this token busy for ${Math.round(elapsed / 1000)} s (PAYWALL_CONFLICT_GIVEUP reached).` };
      }
      const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt);
      attempt += 1;
      const jittered = Math.round(base * (0.8 + random() * 0.4));
      return { giveUp: false, delayMs: Math.min(jittered, Math.max(0, options.giveUpMs - elapsed) + 1) };
    },
    onSuccess() {
      if (startedAt !== undefined) {
        options.logger.info({ episodeSeconds: Math.round((now() - startedAt) / 1000) }, 'The 409 conflict is over: polling normally again');
      }
      startedAt = undefined;
    },
    episodes: () => episodes,
  };
}
