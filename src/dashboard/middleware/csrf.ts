/**
 * CSRF checks of signed-in requests that change something. Forms carry the
 * session's token in the hidden `_csrf` field (403 HTML page without it); API
 * writes authenticated by the session cookie carry it in `X-CSRF-Token` (403
 * `{error}`); Basic-authenticated API requests need none (scripts send them;
 * a browser's cross-site write is refused by the API's Sec-Fetch-Site guard).
 */
import type { Middleware } from 'koa';
import { ApiError } from '../api/http-errors.js';
import { adminOf, sessionOf } from '../auth/admin-state.js';
import { sameSecret } from './basic-auth.js';
import { formOf } from './form-body.js';
import { answerHtmlProblem } from './html-problem.js';

/** Methods that change nothing and need no token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

function holds(given: unknown, expected: string | undefined): boolean {
  return typeof given === 'string' && expected !== undefined && sameSecret(given, expected);
}

/** For page requests (after the gate and formBody): an unsafe method needs `_csrf` equal to the session's token. */
export function formCsrf(): Middleware {
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) return next();
    if (!holds(formOf(ctx)._csrf, sessionOf(ctx)?.csrfToken)) {
      answerHtmlProblem(ctx, 403, {
        title: 'Form refused',
        message: 'This form was missing its security token, or the token was wrong (forms expire when you log in again). Go back, reload the page and send it again.',
      });
      return;
    }
    return next();
  };
}

/** For the JSON API (after requireAdmin): a cookie-authenticated write needs `X-CSRF-Token` equal to the session's token. */
export function headerCsrf(): Middleware {
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method) || adminOf(ctx)?.via !== 'session') return next();
    if (!holds(ctx.get('X-CSRF-Token') || undefined, sessionOf(ctx)?.csrfToken)) {
      throw new ApiError(403, 'A write authenticated by the session cookie needs the X-CSRF-Token header with the session\'s CSRF token.');
    }
    return next();
  };
}
