/**
 * Admin authentication of the JSON API. Each way in is an Authenticator (the
 * session cookie, HTTP Basic) that says whether a request carries its kind of
 * credentials and whether they hold; `requireAdmin` lets a request through
 * when one of them vouches for it, answers 429 when the login throttle refuses
 * the attempt, and 401 otherwise.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { AdminState } from '../auth/admin-state.js';
import { clientIp, type LoginThrottle } from '../auth/login-throttle.js';
import type { ActiveSession } from '../auth/sessions.js';

/** What an authenticator concluded about a request. */
export type AuthOutcome =
  | { readonly kind: 'absent' } // no credentials of this kind
  | { readonly kind: 'denied'; readonly reason: string } // credentials given, and wrong
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number } // too many wrong passwords from this address
  | { readonly kind: 'admin'; readonly actor: string; readonly via: AdminState['via']; readonly session?: ActiveSession };

/** One way of proving to be the admin. */
export type Authenticator = (ctx: Context) => Promise<AuthOutcome>;

/** The realm of the Basic challenge. */
export const BASIC_REALM = 'paywall';
/** The user name HTTP Basic expects. */
export const ADMIN_USER = 'admin';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares two strings in constant time (over their SHA-256 digests, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Splits an `Authorization: Basic …` header into user and password; undefined when it is not one. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic `admin:<password>`; `checkPassword` must compare in constant time.
 * With a throttle, wrong credentials count against the client's address, and
 * an address past its limit is refused before its password is even checked.
 */
export function basicAuthenticator(checkPassword: (candidate: string) => Promise<boolean>, throttle?: LoginThrottle): Authenticator {
  return async (ctx) => {
    const header = ctx.get('Authorization');
    if (!/^Basic\b/i.test(header)) return { kind: 'absent' };
    const wait = await throttle?.blockedFor(clientIp(ctx));
    if (wait !== undefined) return { kind: 'throttled', retryAfterSeconds: wait };
    const credentials = parseBasicAuth(header);
    if (!credentials) return { kind: 'denied', reason: 'Malformed Basic credentials: expected base64 of admin:<password>.' };
    // Both checks always run, so the answer takes as long whichever part is wrong.
    const userOk = sameSecret(credentials.user, ADMIN_USER);
    const passwordOk = await checkPassword(credentials.password);
    if (!userOk || !passwordOk) {
      await throttle?.failed(clientIp(ctx));
      return { kind: 'denied', reason: 'Wrong user name or password.' };
    }
    return { kind: 'admin', actor: `dashboard:${ADMIN_USER}`, via: 'basic' };
  };
}

/**
 * Lets a request through when an authenticator vouches for it (its verdict in
 * `ctx.state.admin`, a session in `ctx.state.session`); 429 with Retry-After
 * when one is throttled; 401 otherwise. Authenticators are asked in order.
 */
export function requireAdmin(authenticators: readonly Authenticator[]): Middleware {
  return async (ctx, next) => {
    let denied: string | undefined;
    for (const authenticate of authenticators) {
      const outcome = await authenticate(ctx);
      if (outcome.kind === 'admin') {
        ctx.state.admin = { actor: outcome.actor, via: outcome.via } satisfies AdminState;
        if (outcome.session) ctx.state.session = { id: outcome.session.id, csrfToken: outcome.session.csrfToken };
        return next();
      }
      if (outcome.kind === 'throttled') {
        ctx.status = 429;
        ctx.set('Retry-After', String(outcome.retryAfterSeconds));
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { error: `Too many failed logins from your address: try again in ${outcome.retryAfterSeconds} seconds.` };
        return;
      }
      if (outcome.kind === 'denied') denied ??= outcome.reason;
    }
    ctx.status = 401;
    ctx.set('WWW-Authenticate', `Basic realm="${BASIC_REALM}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: denied ?? 'Authentication required: use HTTP Basic with admin:<password>.' };
  };
}

