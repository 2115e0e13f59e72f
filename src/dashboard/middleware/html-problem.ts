/**
 * An HTML answer for a refused page request (403 CSRF, 413, 415, 429, 503):
 * the page frame with a title, what went wrong and what to do. Never cached.
 */
import type { Context } from 'koa';
import { html } from '../views/html.js';
import { renderPage } from '../views/layout.js';

/** What the problem page says. */
export interface HtmlProblem {
  title: string;
  message: string;
  /** Where the visitor can go from here (default: back to the dashboard). */
  link?: { href: string; text: string };
}

/** Answers `status` with the problem page. */
export function answerHtmlProblem(ctx: Context, status: number, problem: HtmlProblem): void {
  const link = problem.link ?? { href: '/', text: 'Back to the dashboard' };
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderPage({
    title: problem.title,
    body: html`<section class="problem"><h1>${problem.title}</h1><p>${problem.message}</p><p><a href="${link.href}">${link.text}</a></p></section>`,
  });
}

/** The database is unreachable: 503 with Retry-After. */
export function answerUnavailable(ctx: Context): void {
  ctx.set('Retry-After', '5');
  answerHtmlProblem(ctx, 503, {
    title: 'Database unreachable',
    message: 'The dashboard cannot reach its database right now. Try again in a few seconds.',
    link: { href: ctx.path, text: 'Try again' },
  });
}

/** Too many failed logins from this address: 429 with Retry-After. */
export function answerThrottled(ctx: Context, retryAfterSeconds: number): void {
  ctx.set('Retry-After', String(retryAfterSeconds));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  answerHtmlProblem(ctx, 429, {
    title: 'Too many failed logins',
    message: `There were too many wrong passwords from your address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    link: { href: '/login', text: 'Back to the login page' },
  });
}
