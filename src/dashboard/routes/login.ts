/**
 * `GET /login`, `POST /login` (public, before the page gate) and `POST
 * /logout` (behind the gate and its CSRF check). A successful login always
 * opens a new session (the browser's earlier one is ended: no fixation) and is
 * audited; only a wrong password counts against the login throttle.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { BackendUnavailableError } from '../api/http-errors.js';
import { sessionOf } from '../auth/admin-state.js';
import { clearLoginCsrf, loginCsrfHolds, loginCsrfToken } from '../auth/login-csrf.js';
import { clientIp, type LoginThrottle } from '../auth/login-throttle.js';
import { safeNextPath } from '../auth/next-path.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import type { Sessions } from '../auth/sessions.js';
import { sessionIdOf } from '../auth/tokens.js';
import { formBody, formOf } from '../middleware/form-body.js';
import { answerThrottled, answerUnavailable } from '../middleware/html-problem.js';
import { currentSession } from '../middleware/session.js';
import { renderLoginPage } from '../views/login.js';

/** Records a login or logout in the audit log. */
export type AuthAudit = (action: 'login' | 'logout', details: Record<string, unknown>) => Promise<void>;

/** What the login routes need. */
export interface LoginDeps {
  sessions: Sessions;
  throttle: LoginThrottle;
  /** True when `candidate` is the admin password (constant-time; throws BackendUnavailableError while the database is away). */
  checkPassword(candidate: string): Promise<boolean>;
  audit: AuthAudit;
}

function showForm(ctx: Context, status: number, next: string | undefined, error?: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderLoginPage({ csrfToken: loginCsrfToken(ctx), ...(next ? { next } : {}), ...(error ? { error } : {}) });
}

function seeOther(ctx: Context, location: string): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(location);
  ctx.status = 303;
}

/** Runs `work`, answering 503 (HTML) instead while the database is unreachable. */
async function orUnavailable(ctx: Context, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof BackendUnavailableError)) throw err;
    answerUnavailable(ctx);
  }
}

async function showLogin(ctx: Context, deps: LoginDeps): Promise<void> {
  const next = safeNextPath(ctx.query.next);
  // Without the database nobody can be signed in; the form still shows (posting it answers 503).
  const session = await currentSession(ctx, deps.sessions).catch((err: unknown) => {
    if (err instanceof BackendUnavailableError) return undefined;
    throw err;
  });
  if (session) return seeOther(ctx, next ?? '/');
  showForm(ctx, 200, next);
}

async function logIn(ctx: Context, deps: LoginDeps): Promise<void> {
  const ip = clientIp(ctx);
  const wait = await deps.throttle.blockedFor(ip);
  if (wait !== undefined) return answerThrottled(ctx, wait);
  const form = formOf(ctx);
  const next = safeNextPath(form.next);
  if (!loginCsrfHolds(ctx, form._csrf)) {
    return showForm(ctx, 403, next, 'The login form had expired or was not sent from this page. Enter the password again.');
  }
  const password = typeof form.password === 'string' ? form.password : '';
  if (!(await deps.checkPassword(password))) {
    await deps.throttle.failed(ip);
    return showForm(ctx, 401, next, 'Wrong password. Try again.');
  }
  const earlier = readSessionCookie(ctx);
  if (earlier !== undefined) await deps.sessions.end(sessionIdOf(earlier));
  const { token } = await deps.sessions.start(ip);
  setSessionCookie(ctx, token);
  clearLoginCsrf(ctx);
  await deps.audit('login', { ip });
  seeOther(ctx, next ?? '/');
}

/** The public login routes: the form and its submission. */
export function loginRouter(deps: LoginDeps): Router {
  const router = new Router();
  router.get('/login', (ctx) => showLogin(ctx, deps));
  router.post('/login', formBody(), (ctx) => orUnavailable(ctx, () => logIn(ctx, deps)));
  return router;
}

/** `POST /logout`, mounted behind the page gate: ends the session, forgets the cookie, back to /login. */
export function logoutRouter(deps: Pick<LoginDeps, 'sessions' | 'audit'>): Router {
  const router = new Router();
  router.post('/logout', (ctx) => orUnavailable(ctx, async () => {
    const session = sessionOf(ctx);
    if (session) await deps.sessions.end(session.id);
    clearSessionCookie(ctx);
    await deps.audit('logout', { ip: clientIp(ctx) });
    seeOther(ctx, '/login');
  }));
  return router;
}
