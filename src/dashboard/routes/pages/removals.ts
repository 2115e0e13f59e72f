/** `GET /removals?window=`: the members the next sweeps remove, soonest first, 50 a page. */
import Router from '@koa/router';
import { badRequest } from '../../api/http-errors.js';
import type { PagesDeps } from '../../pages/deps.js';
import { PAGE_SIZE } from '../../views/components.js';
import { REMOVAL_WINDOWS, removalsView } from '../../views/removals.js';
import { backendOf, pageNumberOf, queryParam, sendPage } from './page-context.js';

/** The removals router. */
export function removalsRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/removals', async (ctx) => {
    const window = queryParam(ctx, 'window') || '7d';
    const span = REMOVAL_WINDOWS.find(([value]) => value === window);
    if (!span) throw badRequest(`window must be one of ${REMOVAL_WINDOWS.map(([v]) => v).join(', ')}.`);
    const page = pageNumberOf(ctx);
    const backend = backendOf(deps);
    const now = backend.paywall.clock.now();
    // `until` bounds the expiry; a removal comes PAYWALL_GRACE after it, so the window of removals ends grace earlier.
    const [result, bot] = await Promise.all([
      backend.pages.upcomingRemovals({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, now, until: new Date(now.getTime() + span[2] - deps.graceMs), graceMs: deps.graceMs }),
      backend.reads.botStatus(now),
    ]);
    sendPage(ctx, removalsView({ now, window, graceMs: deps.graceMs, page, total: result.total, items: result.items, runtimeRunning: bot.running }));
  });
  return router;
}
