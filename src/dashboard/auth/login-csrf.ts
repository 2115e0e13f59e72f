/**
 * The login form's CSRF protection, before any session exists: a double-submit
 * token. GET /login sets it in the `paywall_csrf` cookie (HttpOnly,
 * SameSite=Strict, Path=/login) and in the form's hidden `_csrf` field; POST
 * /login must bring both, equal (compared in constant time).
 */
import type { Context } from 'koa';
import { sameSecret } from '../middleware/basic-auth.js';
import { newCsrfToken, TOKEN_PATTERN } from './tokens.js';

/** The login CSRF cookie's name. */
export const LOGIN_CSRF_COOKIE = 'paywall_csrf';

function options(ctx: Context) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/login', secure: ctx.secure, overwrite: true };
}

function cookieToken(ctx: Context): string | undefined {
  const token = ctx.cookies.get(LOGIN_CSRF_COOKIE);
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/** The token for the login form: the browser's current one, or a new one set in the cookie. */
export function loginCsrfToken(ctx: Context): string {
  const existing = cookieToken(ctx);
  if (existing) return existing;
  const token = newCsrfToken();
  ctx.cookies.set(LOGIN_CSRF_COOKIE, token, options(ctx));
  return token;
}

/** True when the form's `_csrf` field equals the cookie's token. */
export function loginCsrfHolds(ctx: Context, field: unknown): boolean {
  const cookie = cookieToken(ctx);
  return cookie !== undefined && typeof field === 'string' && sameSecret(field, cookie);
}

/** Drops the login token once a session (with its own CSRF token) exists. */
export function clearLoginCsrf(ctx: Context): void {
  ctx.cookies.set(LOGIN_CSRF_COOKIE, '', { ...options(ctx), maxAge: 0, expires: new Date(0) });
}
