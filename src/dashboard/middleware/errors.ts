/**
 * The one error middleware at the top: 4xx says what is wrong as `{error}`,
 * an unreachable database is a 503 saying so (whoever noticed it), any other
 * 5xx says nothing but a request id; the detail goes to the log.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { BackendUnavailableError } from '../api/http-errors.js';

/** Koa middleware mapping thrown errors to JSON answers. */
export function errorsMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: `Not found: ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      const e = err as { status?: number; statusCode?: number; expose?: boolean; message?: string };
      const status = e.status ?? e.statusCode ?? 500;
      if (status < 500 && status >= 400) {
        ctx.status = status;
        ctx.body = { error: e.expose === false ? 'Bad request' : (e.message ?? 'Bad request') };
        return;
      }
      if (err instanceof BackendUnavailableError) {
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { error: err.message };
        return;
      }
      const requestId = randomUUID();
      logger.error({ requestId, err }, `Request ${ctx.method} ${ctx.path} failed`);
      ctx.status = 500;
      ctx.body = { error: `Internal error (request id ${requestId})` };
    }
  };
}
