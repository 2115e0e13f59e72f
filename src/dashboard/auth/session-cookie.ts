/**
 * The `paywall_session` cookie: HttpOnly, SameSite=Lax, Path=/, Secure when
 * the request came over https (`ctx.secure`, which honours X-Forwarded-Proto
 * under TRUST_PROXY), kept for the session's absolute lifetime.
 */
import type { Context } from 'koa';
import { SESSION_LIFETIME_MS } from './sessions.js';
import { TOKEN_PATTERN } from './tokens.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'paywall_session';

function options(ctx: Context) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: ctx.secure, overwrite: true };
}

/** The session token the request carries; undefined when there is none or it is not shaped like one. */
export function readSessionCookie(ctx: Context): string | undefined {
  const token = ctx.cookies.get(SESSION_COOKIE);
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/** Hands the browser its session token. */
export function setSessionCookie(ctx: Context, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, { ...options(ctx), maxAge: SESSION_LIFETIME_MS });
}

/** Tells the browser to forget its session token. */
export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', { ...options(ctx), maxAge: 0, expires: new Date(0) });
}
