/**
 * The one place that maps domain error codes to HTTP statuses, and the API's
 * error middleware: PaywallErrors become 404 / 409 / 400 with their message,
 * an unreachable database 503. Anything else goes on to the app's errors
 * middleware (500, nothing said, detail logged).
 */
import type { Middleware } from 'koa';
import { isPaywallError, type PaywallErrorCode } from '../../paywall/index.js';
import { BackendUnavailableError } from './http-errors.js';

const STATUS_OF: Partial<Record<PaywallErrorCode, number>> = {
  PLAN_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  BROADCAST_NOT_FOUND: 404,
  ALREADY_REFUNDED: 409,
  REFUND_QUEUED: 409,
};

/** The HTTP status of a domain error: unknown ids 404, refused state changes 409, the rest 400. */
export function statusOfPaywallError(code: PaywallErrorCode): number {
  return STATUS_OF[code] ?? 400;
}

/** Koa middleware answering domain errors and database outages as JSON. */
export function apiErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (isPaywallError(err)) {
        ctx.status = statusOfPaywallError(err.code);
        const field = typeof err.data.field === 'string' ? { field: err.data.field } : {};
        ctx.body = { error: err.message, code: err.code, ...field };
        return;
      }
      if (err instanceof BackendUnavailableError) {
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { error: err.message };
        return;
      }
      throw err;
    }
  };
}
