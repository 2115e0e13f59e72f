/** `GET /`: the overview (KPIs, revenue chart, bot status card, warning count). */
import Router from '@koa/router';
import type { PagesDeps } from '../../pages/deps.js';
import { loadWarnings } from '../../pages/warnings.js';
import { overviewView } from '../../views/overview.js';
import { backendOf, sendPage } from './page-context.js';

/** Days the revenue chart covers. */
export const CHART_DAYS = 30;
/** The overview's bot card and warning count may be this old (the heartbeat itself is written every 5 s). */
export const OVERVIEW_WARNINGS_MS = 2_000;

/** The overview router. */
export function overviewRouter(deps: PagesDeps): Router {
  const router = new Router();
  // The warnings take several queries: under a burst of page views, one run serves them all for a moment.
  let recent: { backend: object; at: number; report: ReturnType<typeof loadWarnings> } | undefined;
  const warningsOf = (backend: ReturnType<typeof backendOf>, now: Date): ReturnType<typeof loadWarnings> => {
    const at = Date.now();
    if (!recent || recent.backend !== backend || at - recent.at >= OVERVIEW_WARNINGS_MS) {
      const report = loadWarnings(backend, deps.staticWarnings, now);
      recent = { backend, at, report };
      report.catch(() => { if (recent?.report === report) recent = undefined; });
    }
    return recent.report;
  };
  router.get('/', async (ctx) => {
    const backend = backendOf(deps);
    const now = backend.paywall.clock.now();
    const [stats, extras, report] = await Promise.all([
      backend.reads.stats(now),
      backend.pages.overview(now, CHART_DAYS),
      warningsOf(backend, now),
    ]);
    sendPage(ctx, overviewView({ now, stats, extras, bot: report.bot, jobs: report.jobs, warningCount: report.warnings.length }));
  });
  return router;
}
