/** What a user's subscriptions add up to at a moment: active until when, expired, or never subscribed. */
import type { Subscription } from '../../paywall/index.js';

/** A subscription's status as shown: an active one whose expiry has passed is expired. */
export function shownStatus(sub: Pick<Subscription, 'status' | 'expiresAt'>, now: Date): Subscription['status'] {
  return sub.status === 'active' && sub.expiresAt !== null && sub.expiresAt.getTime() <= now.getTime() ? 'expired' : sub.status;
}

/** A user's standing: the latest expiry of their live subscriptions (null: lifetime) when active. */
export type UserStanding = { status: 'active'; until: Date | null } | { status: 'expired' | 'none' };

/** The user's standing at `now`. */
export function standingOf(subs: readonly Subscription[], now: Date): UserStanding {
  const live = subs.filter((s) => shownStatus(s, now) === 'active');
  if (live.length > 0) {
    const until = live.some((s) => s.expiresAt === null) ? null : new Date(Math.max(...live.map((s) => s.expiresAt!.getTime())));
    return { status: 'active', until };
  }
  return { status: subs.length > 0 ? 'expired' : 'none' };
}
