/** The page shown for an unknown id, refused input, a database outage or a failure: what happened, in one line. */
import { pageHeader } from './components.js';
import { html } from './html.js';
import type { PageView } from './page-view.js';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Not allowed',
  409: 'Refused',
  413: 'Too large',
  503: 'Database unreachable',
};

/** The title for an HTTP status. */
export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Bad request');
}

/** An error page: status, title and message (the message is escaped like any value). */
export function errorPageView(status: number, message: string, active = ''): PageView {
  const title = errorTitle(status);
  return {
    title,
    active,
    body: html`${pageHeader(title)}<section class="card error-card" id="error" data-status="${status}"><p>${message}</p>
<p><a href="/">Back to the overview</a></p></section>`,
  };
}
