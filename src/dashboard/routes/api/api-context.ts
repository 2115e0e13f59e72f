/** Small helpers shared by the API routers: the backend or a 503, the query string, paging, the acting admin. */
import type { Context, Middleware } from 'koa';
import { isPaywallError } from '../../../paywall/index.js';
import { ApiError, BackendUnavailableError, badRequest, notFound } from '../../api/http-errors.js';
import type { ApiBackend, ApiDeps, ApiRange } from '../../api/ports.js';
import { PAGING } from '../../api/schemas.js';

/**
 * Router middleware: a request that fails while the database has just become
 * unreachable (its own failure is what showed it) answers the outage's 503,
 * not a 500. Client errors pass through untouched.
 */
export function outageAware(deps: ApiDeps): Middleware {
  return async (_ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError || isPaywallError(err) || deps.backend() !== undefined) throw err;
      throw new BackendUnavailableError({ cause: err });
    }
  };
}

/** The backend, or a thrown 503 while the database is unreachable. */
export function backendOf(deps: ApiDeps): ApiBackend {
  const backend = deps.backend();
  if (!backend) throw new BackendUnavailableError();
  return backend;
}

/** A validated `?page=&limit=` as the page, the limit and the rows to skip. */
export function pageOf(query: { page?: number; limit?: number }): ApiRange & { page: number } {
  const page = query.page ?? 1;
  const limit = query.limit ?? PAGING.defaultLimit;
  return { page, limit, offset: (page - 1) * limit };
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw badRequest('The query string is not valid percent-encoded UTF-8: write each byte of a special character as %XX (a literal % as %25).');
  }
}

/**
 * The query string's parameters (a repeated one as a list), an empty one
 * (`?status=` from a form's blank choice) counting as not given. Parsed here
 * rather than by Koa, which would quietly turn bad percent-encoding into U+FFFD
 * and drop parameters past the thousandth: both are a 400 here.
 */
export function queryOf(ctx: Context): Record<string, string | string[]> {
  const params = new Map<string, string | string[]>();
  for (const pair of ctx.querystring.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    if (value === '') continue;
    const seen = params.get(key);
    params.set(key, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(params);
}

/** Who the audit log names for this request. */
export function actorOf(ctx: Context): string {
  const admin = ctx.state.admin as { actor?: string } | undefined;
  return admin?.actor ?? 'dashboard:admin';
}

/** The largest id a serial (INTEGER) column holds; PostgreSQL refuses to compare with a larger one. */
export const MAX_SERIAL_ID = 2_147_483_647;

/** A plan or broadcast id beyond any serial cannot exist: 404 without asking the database. */
export function existingSerialId(id: number, what: 'plan' | 'broadcast'): number {
  if (id > MAX_SERIAL_ID) throw notFound(`There is no ${what} ${id}.`);
  return id;
}
