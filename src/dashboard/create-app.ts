/**
 * createDashboardApp: the Koa application. It opens no port (only serve() does),
 * so tests can drive `app.callback()` directly. A request meets, in order:
 * security headers, the error middleware, the JSON API (its own auth), the
 * public routes (health, the Telegram webhook, assets, login), the page gate (a session or 303 to
 * /login), the form body, the CSRF check, logout, and the pages.
 */
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ApiDeps } from './api/ports.js';
import { ADMIN_ACTOR } from './auth/admin-state.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import type { SessionStore } from './auth/session-store.js';
import { createSessions } from './auth/sessions.js';
import { formCsrf } from './middleware/csrf.js';
import { errorsMiddleware } from './middleware/errors.js';
import { formBody } from './middleware/form-body.js';
import { securityHeaders } from './middleware/security-headers.js';
import { pageGate } from './middleware/session.js';
import { apiMiddleware } from './routes/api/index.js';
import { healthRouter, type DatabaseProbe } from './routes/health.js';
import { homeRouter } from './routes/home.js';
import { loginRouter, logoutRouter, type AuthAudit } from './routes/login.js';

/** What the dashboard needs. */
export interface DashboardDeps {
  logger: Logger;
  probeDatabase: DatabaseProbe;
  trustProxy: boolean;
  /** The JSON API's backend, password check and HTML check. */
  api: ApiDeps;
  /** The admin sessions' store, or undefined while the database is unreachable (pages and login answer 503 then). Without it nobody can log in. */
  sessions?: () => SessionStore | undefined;
  /** The clock of sessions; the system clock by default. */
  now?: () => Date;
  /** The pages, mounted behind the gate, the form body and the CSRF check; a placeholder front page without it. */
  pages?: Middleware;
  /** Static assets, public, mounted before the gate. */
  assets?: Middleware;
  /** Webhook mode: serves POST /telegram/webhook (its own auth: Telegram's secret token), mounted before the gate. */
  webhook?: Middleware;
}

type Mountable = { routes(): Middleware<any, any>; allowedMethods(): Middleware<any, any> };

function mount(app: Koa, router: Mountable): void {
  app.use(router.routes()).use(router.allowedMethods());
}

/** Logins and logouts in the audit log, through the API's backend. */
function authAudit(api: ApiDeps): AuthAudit {
  return async (action, details) => {
    const backend = api.backend();
    if (!backend) return;
    await backend.paywall.store.audit.record({ actor: ADMIN_ACTOR, action, target: null, details }, backend.paywall.clock.now());
  };
}

/** Builds the dashboard app, with its own login throttle. */
export function createDashboardApp(deps: DashboardDeps): Koa {
  const app = new Koa({ proxy: deps.trustProxy });
  app.silent = true;
  const sessions = createSessions({ store: deps.sessions ?? (() => undefined), ...(deps.now ? { now: deps.now } : {}) });
  const throttle = createLoginThrottle();
  const audit = authAudit(deps.api);
  app.use(securityHeaders());
  app.use(errorsMiddleware(deps.logger));
  app.use(apiMiddleware(deps.api, deps.logger, { sessions, throttle }));
  mount(app, healthRouter(deps.probeDatabase));
  if (deps.webhook) app.use(deps.webhook);
  if (deps.assets) app.use(deps.assets);
  mount(app, loginRouter({ sessions, throttle, checkPassword: deps.api.checkPassword, audit }));
  app.use(pageGate(sessions));
  app.use(formBody());
  app.use(formCsrf());
  mount(app, logoutRouter({ sessions, audit }));
  if (deps.pages) app.use(deps.pages);
  else mount(app, homeRouter());
  return app;
}
