/** `GET /api/stats`: users, active subscribers, revenue (all time, today, 30 days) and payments, net of refunds. */
import Router from '@koa/router';
import type { ApiDeps } from '../../api/ports.js';
import { statsJson } from '../../api/serializers.js';
import { backendOf, outageAware } from './api-context.js';

/** The stats router. */
export function statsRouter(deps: ApiDeps): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.get('/api/stats', async (ctx) => {
    const { reads, paywall } = backendOf(deps);
    ctx.body = statsJson(await reads.stats(paywall.clock.now()));
  });
  return router;
}
