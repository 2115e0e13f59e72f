/**
 * Helpers every page route shares: the backend or a 503, the session's CSRF
 * token and the acting admin, form fields, the page number, sending a page
 * inside the frame, and the redirect after a successful form.
 */
import type { Context } from 'koa';
import { BackendUnavailableError, badRequest, notFound } from '../../api/http-errors.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import { flashOf, type FlashKey } from '../../pages/flash.js';
import { renderPage, type Flash } from '../../views/layout.js';
import type { PageView } from '../../views/page-view.js';

/** A parsed urlencoded form. */
export type Form = Readonly<Record<string, string | string[] | undefined>>;

/** The backend, or a thrown 503 while the database is unreachable. */
export function backendOf(deps: PagesDeps): PageBackend {
  const backend = deps.backend();
  if (!backend) throw new BackendUnavailableError();
  return backend;
}

/** The session's CSRF token for the forms ('' for a request without a session, such as Basic auth). */
export function csrfOf(ctx: Context): string {
  const session = ctx.state.session as { csrfToken?: unknown } | undefined;
  return typeof session?.csrfToken === 'string' ? session.csrfToken : '';
}

/** Who the audit log names for this request. */
export function actorOf(ctx: Context): string {
  const admin = ctx.state.admin as { actor?: unknown } | undefined;
  return typeof admin?.actor === 'string' && admin.actor ? admin.actor : 'dashboard:admin';
}

/** The request's form (an empty one when there is none); a NUL character anywhere is a 400 (PostgreSQL text cannot hold one). */
export function formOf(ctx: Context): Form {
  const body = ctx.request.body;
  const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as Form) : {};
  for (const value of Object.values(form)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\0'))) throw badRequest('The form holds a NUL character, which cannot be stored.');
  }
  return form;
}

/** One field of a form as text: the first value when it was sent twice, '' when missing; CRLF from a textarea becomes LF. */
export function fieldOf(form: Form, name: string): string {
  const value = form[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return text.replace(/\r\n?/g, '\n');
}

/** One query parameter as text ('' when missing; the first when repeated). */
export function queryParam(ctx: Context, name: string): string {
  const value = ctx.query[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The `?page=` number, from 1; anything else is a 400. */
export function pageNumberOf(ctx: Context): number {
  const text = queryParam(ctx, 'page');
  if (text === '') return 1;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw badRequest('page must be a whole number from 1.');
  return Number(text);
}

/** A positive id from the path, or a thrown 404 page (a path with a malformed id names nothing). */
export function pathId(ctx: Context, name: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(ctx.params[name] ?? '');
  const id = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id) || id < 1 || id > max) throw notFound(`There is no ${what} ${text}.`);
  return id;
}

/** Sends a page in the frame: the nav with the CSRF token, the flash of `?done=` (or `flash`), and the status. */
export function sendPage(ctx: Context, view: PageView, options: { status?: number; flash?: Flash } = {}): void {
  const flash = options.flash ?? (options.status === undefined || options.status < 400 ? flashOf(ctx.query.done) : undefined);
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderPage({
    title: view.title,
    body: view.body,
    nav: { active: view.active, csrfToken: csrfOf(ctx) },
    ...(flash ? { flash } : {}),
    ...(view.refresh ? { refresh: view.refresh } : {}),
  });
}

/** The 303 after a successful form: back to `path` with the fixed message `done`, and to the element `anchor` when given. */
export function redirectDone(ctx: Context, path: string, done: FlashKey, anchor?: string): void {
  ctx.status = 303;
  ctx.redirect(`${path}${path.includes('?') ? '&' : '?'}done=${done}${anchor ? `#${encodeURIComponent(anchor)}` : ''}`);
}
