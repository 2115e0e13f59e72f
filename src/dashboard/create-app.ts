/**
 * createDashboardApp: the Koa application. It opens no port (only serve() does),
 * so tests can drive `app.callback()` directly.
 */
import Koa from 'koa';
import type { Logger } from 'pino';
import type { ApiDeps } from './api/ports.js';
import { errorsMiddleware } from './middleware/errors.js';
import { apiMiddleware } from './routes/api/index.js';
import { healthRouter, type DatabaseProbe } from './routes/health.js';
import { homeRouter } from './routes/home.js';

/** What the dashboard needs. */
export interface DashboardDeps {
  logger: Logger;
  probeDatabase: DatabaseProbe;
  trustProxy: boolean;
  /** The JSON API's backend, password check and HTML check. */
  api: ApiDeps;
}

/** Builds the dashboard app. */
export function createDashboardApp(deps: DashboardDeps): Koa {
  const app = new Koa({ proxy: deps.trustProxy });
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    await next();
  });
  app.use(errorsMiddleware(deps.logger));
  app.use(apiMiddleware(deps.api, deps.logger));
  for (const router of [healthRouter(deps.probeDatabase), homeRouter()]) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
