/** `GET /`: the dashboard's front page, a placeholder behind the page gate until the pages are mounted. */
import Router from '@koa/router';
import { sessionOf } from '../auth/admin-state.js';
import { html } from '../views/html.js';
import { renderPage } from '../views/layout.js';

/** The home router (signed-in requests only: it is mounted behind the page gate). */
export function homeRouter(): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    const session = sessionOf(ctx);
    ctx.type = 'html';
    ctx.body = renderPage({
      title: 'Overview',
      ...(session ? { nav: { active: '/', csrfToken: session.csrfToken } } : {}),
      body: html`<section class="card"><h1>paywall</h1>
<p>The dashboard is running. Health: <a href="/healthz"><code>/healthz</code></a>. Plans are managed with <code>paywall plans</code> for now.</p></section>`,
    });
  });
  return router;
}
