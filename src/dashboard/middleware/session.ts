/**
 * The browser session on each request: the JSON API's cookie authenticator,
 * and the page gate, which lets only signed-in requests reach the pages
 * (others are sent, 303, to /login) and marks them as the admin's.
 */
import type { Context, Middleware } from 'koa';
import { BackendUnavailableError } from '../api/http-errors.js';
import { ADMIN_ACTOR, signInBySession } from '../auth/admin-state.js';
import { loginLocation } from '../auth/next-path.js';
import { clearSessionCookie, readSessionCookie, SESSION_COOKIE } from '../auth/session-cookie.js';
import type { ActiveSession, Sessions } from '../auth/sessions.js';
import type { Authenticator } from './basic-auth.js';
import { answerUnavailable } from './html-problem.js';

/** Paths anyone may reach: health, the login page, static assets. */
const PUBLIC_PATH = /^\/(?:healthz|login)\/?$|^\/assets(?:\/|$)/i;

/** True for a path the gate lets through without a session. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATH.test(path);
}

/** The live session of the request's cookie, or undefined (throws BackendUnavailableError while the database is away). */
export async function currentSession(ctx: Context, sessions: Sessions): Promise<ActiveSession | undefined> {
  const token = readSessionCookie(ctx);
  return token === undefined ? undefined : sessions.resolve(token);
}

/** The session cookie, for the JSON API: absent without the cookie, denied for an ended session. */
export function sessionAuthenticator(sessions: Sessions): Authenticator {
  return async (ctx) => {
    const token = readSessionCookie(ctx);
    if (token === undefined) return { kind: 'absent' };
    const session = await sessions.resolve(token);
    if (!session) return { kind: 'denied', reason: 'Your session has ended: log in again.' };
    return { kind: 'admin', actor: ADMIN_ACTOR, via: 'session', session };
  };
}

/**
 * Koa middleware in front of the pages: a request without a live session is
 * redirected (303) to /login (with `?next=` for a GET); one with a session gets
 * `ctx.state.admin` and `ctx.state.session`, and its answer is never cached.
 * 503 (HTML) while the database is unreachable.
 */
export function pageGate(sessions: Sessions): Middleware {
  return async (ctx, next) => {
    if (isPublicPath(ctx.path)) return next();
    let session: ActiveSession | undefined;
    try {
      session = await currentSession(ctx, sessions);
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      answerUnavailable(ctx);
      return;
    }
    if (!session) {
      if (ctx.cookies.get(SESSION_COOKIE) !== undefined) clearSessionCookie(ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(loginLocation(ctx.method, ctx.url));
      ctx.status = 303;
      return;
    }
    signInBySession(ctx, session);
    ctx.set('Cache-Control', 'no-store');
    return next();
  };
}
