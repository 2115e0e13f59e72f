/** `GET /warnings`: what needs the operator's attention, each with its fix. */
import Router from '@koa/router';
import type { PagesDeps } from '../../pages/deps.js';
import { loadWarnings } from '../../pages/warnings.js';
import { warningsView } from '../../views/warnings.js';
import { backendOf, sendPage } from './page-context.js';

/** The warnings router. */
export function warningsRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/warnings', async (ctx) => {
    const backend = backendOf(deps);
    const now = backend.paywall.clock.now();
    sendPage(ctx, warningsView({ now, report: await loadWarnings(backend, deps.staticWarnings, now) }));
  });
  return router;
}
