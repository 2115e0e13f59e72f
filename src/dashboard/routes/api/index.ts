/**
 * The JSON API under `/api`, in the order a request meets it: domain errors to
 * statuses, no caching and no cross-site writes, admin authentication (the
 * session cookie, then HTTP Basic, before any body is read; failed Basic logins
 * throttled), the CSRF header of cookie-authenticated writes, the JSON body,
 * then one router per resource. Every path under /api, known or not, needs the
 * admin's credentials.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { apiErrors } from '../../api/errors.js';
import { ApiError } from '../../api/http-errors.js';
import type { ApiDeps } from '../../api/ports.js';
import type { LoginThrottle } from '../../auth/login-throttle.js';
import type { Sessions } from '../../auth/sessions.js';
import { basicAuthenticator, requireAdmin, type Authenticator } from '../../middleware/basic-auth.js';
import { headerCsrf } from '../../middleware/csrf.js';
import { jsonBody } from '../../middleware/json-body.js';
import { sessionAuthenticator } from '../../middleware/session.js';
import { botRouter } from './bot.js';
import { broadcastsRouter } from './broadcasts.js';
import { paymentsRouter } from './payments.js';
import { plansRouter } from './plans.js';
import { statsRouter } from './stats.js';
import { usersRouter } from './users.js';

const API_PATH = /^\/api(?:\/|$)/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Router middleware types its context more narrowly than Koa's; at run time they are the same.
type AnyMiddleware = Middleware<any, any>;

/** Runs middlewares in order, then `next`. */
function chain(middlewares: readonly AnyMiddleware[]): Middleware {
  return (ctx, next) => {
    const run = (i: number): Promise<unknown> => (i === middlewares.length ? next() : Promise.resolve(middlewares[i]!(ctx, () => run(i + 1))));
    return run(0);
  };
}

/**
 * API answers are never cached, and writes from another site are refused:
 * browsers mark where a request comes from (Sec-Fetch-Site), and a forged
 * cross-site form would carry the admin's cached Basic credentials along.
 */
const apiGuard: Middleware = async (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  const site = ctx.get('Sec-Fetch-Site').toLowerCase();
  if (!SAFE_METHODS.has(ctx.method) && (site === 'cross-site' || site === 'same-site')) {
    throw new ApiError(403, 'Writes to the API from another site are refused.');
  }
  return next();
};

/** The API router: every resource's routes, with 405 for a known path and a wrong method. */
export function apiRouter(deps: ApiDeps, logger: Logger): Router {
  const router = new Router();
  for (const resource of [statsRouter(deps), usersRouter(deps), plansRouter(deps), paymentsRouter(deps, logger), broadcastsRouter(deps), botRouter(deps)]) {
    router.use(resource.routes());
  }
  return router;
}

/** How the API authenticates beyond HTTP Basic: browser sessions, and the app's login throttle. */
export interface ApiAuthOptions {
  sessions?: Sessions;
  throttle?: LoginThrottle;
}

/** Koa middleware serving the JSON API; requests outside /api pass through untouched, requests inside never leave it. */
export function apiMiddleware(deps: ApiDeps, logger: Logger, auth: ApiAuthOptions = {}): Middleware {
  const router = apiRouter(deps, logger);
  const notAllowed = () => new ApiError(405, 'This method is not allowed on this path.');
  // The session first: a browser that also holds Basic credentials is then held to the CSRF token.
  const authenticators: Authenticator[] = [
    ...(auth.sessions ? [sessionAuthenticator(auth.sessions)] : []),
    basicAuthenticator(deps.checkPassword, auth.throttle),
  ];
  const pipeline = chain([
    apiErrors(),
    apiGuard,
    requireAdmin(authenticators),
    headerCsrf(),
    jsonBody(),
    router.routes(),
    router.allowedMethods({ throw: true, methodNotAllowed: notAllowed, notImplemented: notAllowed }),
  ]);
  // /api is the API's alone: the page routers after it must not answer (or 405) an API path.
  const end = async () => undefined;
  return (ctx, next) => (API_PATH.test(ctx.path) ? pipeline(ctx, end) : next());
}
