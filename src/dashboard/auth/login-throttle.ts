/**
 * Throttling of failed logins (rate-limiter-flexible, in memory, keyed by the
 * client address): only a wrong password counts; after five within 15 minutes,
 * every login attempt from that address, the right password included, is
 * refused until the window clears. One throttle per app.
 */
import type { Context } from 'koa';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** Failed logins allowed from one address within the window. */
export const LOGIN_FAILURES_ALLOWED = 5;
/** The window, in seconds: it starts at the first failure. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;

/** The throttle of one app. */
export interface LoginThrottle {
  /** Seconds until `ip` may try again, or undefined when it may try now. */
  blockedFor(ip: string): Promise<number | undefined>;
  /** Counts a wrong password from `ip`. */
  failed(ip: string): Promise<void>;
}

/** Builds a throttle (defaults: 5 failures in 15 minutes). */
export function createLoginThrottle(options: { failures?: number; windowSeconds?: number } = {}): LoginThrottle {
  const failures = options.failures ?? LOGIN_FAILURES_ALLOWED;
  const limiter = new RateLimiterMemory({ points: failures, duration: options.windowSeconds ?? LOGIN_WINDOW_SECONDS });
  return {
    async blockedFor(ip) {
      const res = await limiter.get(ip);
      if (!res || res.consumedPoints < failures) return undefined;
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    },
    async failed(ip) {
      // penalty, not consume: it never rejects, it only counts.
      await limiter.penalty(ip, 1);
    },
  };
}

/** The client address the throttle keys on (X-Forwarded-For's first entry under TRUST_PROXY). */
export function clientIp(ctx: Pick<Context, 'ip'>): string {
  return ctx.ip || 'unknown';
}
