/**
 * The pages' error middleware: a domain error or a bad request becomes an
 * HTML page with its status and message (404 unknown ids, 409 refused
 * changes, 400 bad input), a database outage a 503 page, and anything else a
 * 500 page that says nothing but a request id (the detail goes to the log).
 */
import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { isPaywallError } from '../../../paywall/index.js';
import { statusOfPaywallError } from '../../api/errors.js';
import { BackendUnavailableError } from '../../api/http-errors.js';
import type { PagesDeps } from '../../pages/deps.js';
import { errorPageView } from '../../views/error-page.js';
import { sendPage } from './page-context.js';

/** The status and message a thrown error shows, or undefined for an unexpected one. */
export function describePageError(err: unknown): { status: number; message: string } | undefined {
  if (isPaywallError(err)) return { status: statusOfPaywallError(err.code), message: err.message };
  if (err instanceof BackendUnavailableError) return { status: 503, message: 'The database is unreachable. The dashboard keeps trying; reload this page in a few seconds.' };
  const e = err as { status?: unknown; expose?: unknown; message?: unknown } | null;
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, message: e.expose === true && typeof e.message === 'string' ? e.message : 'The request could not be understood.' };
  }
  return undefined;
}

function activeSection(ctx: Context): string {
  const first = ctx.path.split('/')[1] ?? '';
  if (first === 'users') return '/subscribers';
  return `/${first}`;
}

/** Koa middleware rendering errors of the page routes as HTML pages. */
export function pageErrors(logger: PagesDeps['logger']): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const known = describePageError(err);
      if (known) {
        if (known.status === 503) ctx.set('Retry-After', '5');
        sendPage(ctx, errorPageView(known.status, known.message, activeSection(ctx)), { status: known.status });
        return;
      }
      const requestId = randomUUID();
      logger.error({ requestId, err }, `Page ${ctx.method} ${ctx.path} failed`);
      sendPage(ctx, errorPageView(500, `Something went wrong on our side. The log has the details under request id ${requestId}.`, activeSection(ctx)), { status: 500 });
    }
  };
}

/** A form's refusal to show beside the form (a 4xx with its message), or undefined for an error the page-errors middleware should answer. */
export function formFailure(err: unknown): { status: number; message: string } | undefined {
  const known = describePageError(err);
  return known && known.status < 500 ? known : undefined;
}
