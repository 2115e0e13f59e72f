/** Broadcasts: `POST /api/broadcasts` queues one (202 with its id); `GET /api/broadcasts/:id` shows its progress. */
import Router from '@koa/router';
import { startBroadcast } from '../../../paywall/index.js';
import { notFound } from '../../api/http-errors.js';
import type { ApiDeps } from '../../api/ports.js';
import { broadcastBodySchema, idSchema } from '../../api/schemas.js';
import { broadcastJson } from '../../api/serializers.js';
import { parseInput } from '../../api/validate.js';
import { actorOf, backendOf, existingSerialId, outageAware } from './api-context.js';

const broadcastId = idSchema('broadcast id');

/** The broadcasts router. */
export function broadcastsRouter(deps: ApiDeps): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.post('/api/broadcasts', async (ctx) => {
    const body = parseInput(broadcastBodySchema, ctx.request.body, 'the body');
    const broadcast = await startBroadcast(backendOf(deps).paywall, { text: body.text, audience: body.audience, actor: actorOf(ctx) }, deps.checkHtml);
    ctx.status = 202;
    ctx.body = { id: broadcast.id };
  });
  router.get('/api/broadcasts/:id', async (ctx) => {
    const id = existingSerialId(parseInput(broadcastId, ctx.params.id, 'the path'), 'broadcast');
    const broadcast = await backendOf(deps).paywall.store.broadcasts.get(id);
    if (!broadcast) throw notFound(`There is no broadcast ${id}.`);
    ctx.body = broadcastJson(broadcast);
  });
  return router;
}
