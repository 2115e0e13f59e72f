/**
 * Every server-rendered page of the dashboard, behind the sign-in gate (which
 * runs before these routes: requests here are signed in, and POSTs are
 * CSRF-checked with their form parsed). Errors become HTML pages.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { PagesDeps } from '../../pages/deps.js';
import { errorPageView } from '../../views/error-page.js';
import { auditRouter } from './audit.js';
import { broadcastsRouter } from './broadcasts.js';
import { overviewRouter } from './overview.js';
import { sendPage } from './page-context.js';
import { pageErrors } from './page-errors.js';
import { paymentsRouter } from './payments.js';
import { plansRouter } from './plans.js';
import { removalsRouter } from './removals.js';
import { settingsRouter } from './settings.js';
import { subscribersRouter } from './subscribers.js';
import { usersRouter } from './users.js';
import { warningsRouter } from './warnings.js';

// Router middleware types its context more narrowly than Koa's; at run time they are the same.
type AnyMiddleware = Middleware<any, any>;

/** The pages router: mount with `app.use(router.routes()).use(router.allowedMethods())`, or use pagesMiddleware. */
export function pagesRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.use(pageErrors(deps.logger));
  const features = [overviewRouter, subscribersRouter, usersRouter, removalsRouter, plansRouter, paymentsRouter, broadcastsRouter, settingsRouter, auditRouter, warningsRouter];
  for (const feature of features) router.use(feature(deps).routes());
  return router;
}

/**
 * The pages as one middleware, the last of the app: the routes, 405 for a
 * known path with another method, and an HTML 404 page for a signed-in
 * admin's GET of a path no page has.
 */
export function pagesMiddleware(deps: PagesDeps): Middleware {
  const router = pagesRouter(deps);
  const routes = router.routes() as AnyMiddleware;
  const allowed = router.allowedMethods() as AnyMiddleware;
  return async (ctx, next) => {
    await routes(ctx, () => allowed(ctx, next));
    if (ctx.status === 404 && ctx.body == null && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      sendPage(ctx, errorPageView(404, `There is no page at ${ctx.path}.`), { status: 404 });
    }
  };
}
