/** `GET /api/bot`: the bot runtime's heartbeat as `{running, healthy, …}`; `running: false` before any. */
import Router from '@koa/router';
import type { ApiDeps } from '../../api/ports.js';
import { botJson } from '../../api/serializers.js';
import { backendOf, outageAware } from './api-context.js';

/** The bot status router. */
export function botRouter(deps: ApiDeps): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.get('/api/bot', async (ctx) => {
    const { reads, paywall } = backendOf(deps);
    ctx.body = botJson(await reads.botStatus(paywall.clock.now()));
  });
  return router;
}
