/**
 * Users: `GET /api/users` (search, status filter, pages), `GET /api/users/:id`,
 * and the admin's grant and revoke, each answering with the user as it is now.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { grantAccess, revokeAccess } from '../../../paywall/index.js';
import { notFound } from '../../api/http-errors.js';
import type { ApiBackend, ApiDeps } from '../../api/ports.js';
import { grantBodySchema, idSchema, userListQuerySchema } from '../../api/schemas.js';
import { listJson, userJson } from '../../api/serializers.js';
import { parseInput } from '../../api/validate.js';
import { actorOf, backendOf, existingSerialId, outageAware, pageOf, queryOf } from './api-context.js';

const userId = idSchema('user id');

async function answerWithUser(ctx: Context, backend: ApiBackend, id: number): Promise<void> {
  const record = await backend.reads.users.get(id);
  if (!record) throw notFound(`There is no user ${id}.`);
  ctx.body = userJson(record, backend.paywall.clock.now());
}

/** The users router. */
export function usersRouter(deps: ApiDeps): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.get('/api/users', async (ctx) => {
    const query = parseInput(userListQuerySchema, queryOf(ctx), 'the query');
    const { page, limit, offset } = pageOf(query);
    const { reads, paywall } = backendOf(deps);
    const now = paywall.clock.now();
    const q = query.q?.trim() || undefined;
    const result = await reads.users.list({ offset, limit, now, ...(q ? { q } : {}), ...(query.status ? { status: query.status } : {}) });
    ctx.body = listJson(result.items.map((r) => userJson(r, now)), page, limit, result.total);
  });
  router.get('/api/users/:id', async (ctx) => {
    const id = parseInput(userId, ctx.params.id, 'the path');
    await answerWithUser(ctx, backendOf(deps), id);
  });
  router.post('/api/users/:id/grant', async (ctx) => {
    const id = parseInput(userId, ctx.params.id, 'the path');
    const body = parseInput(grantBodySchema, ctx.request.body, 'the body');
    const planId = body.planId == null ? {} : { planId: existingSerialId(body.planId, 'plan') };
    const backend = backendOf(deps);
    await grantAccess(backend.paywall, { userId: id, duration: body.duration, actor: actorOf(ctx), ...planId });
    await answerWithUser(ctx, backend, id);
  });
  router.post('/api/users/:id/revoke', async (ctx) => {
    const id = parseInput(userId, ctx.params.id, 'the path');
    const backend = backendOf(deps);
    await revokeAccess(backend.paywall, { userId: id, actor: actorOf(ctx) });
    await answerWithUser(ctx, backend, id);
  });
  return router;
}
