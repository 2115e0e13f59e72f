/** `GET /`: the overview (KPIs, revenue chart, bot status card, warning count). */
import Router from '@koa/router';
import type { PagesDeps } from '../../pages/deps.js';
import { loadWarnings } from '../../pages/warnings.js';
import { overviewView } from '../../views/overview.js';
import { backendOf, sendPage } from './page-context.js';

/** Days the revenue chart covers. */
export const CHART_DAYS = 30;

/** The overview router. */
export function overviewRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/', async (ctx) => {
    const backend = backendOf(deps);
    const now = backend.paywall.clock.now();
    const [stats, extras, report] = await Promise.all([
      backend.reads.stats(now),
      backend.pages.overview(now, CHART_DAYS),
      loadWarnings(backend, deps.staticWarnings, now),
    ]);
    sendPage(ctx, overviewView({ now, stats, extras, bot: report.bot, jobs: report.jobs, warningCount: report.warnings.length }));
  });
  return router;
}
