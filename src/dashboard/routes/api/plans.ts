/** Plans: `GET /api/plans`, `POST /api/plans` (201), `GET` and `PATCH /api/plans/:id`; the domain's plan rules decide. */
import Router from '@koa/router';
import { addPlan, editPlan, getPlan, type PlanDraft } from '../../../paywall/index.js';
import type { ApiDeps } from '../../api/ports.js';
import { idSchema, pageQuerySchema, planCreateBodySchema, planPatchBodySchema } from '../../api/schemas.js';
import { listJson, planJson } from '../../api/serializers.js';
import { parseInput } from '../../api/validate.js';
import { backendOf, existingSerialId, outageAware, pageOf, queryOf } from './api-context.js';

const planId = idSchema('plan id');

/** The plans router. */
export function plansRouter(deps: ApiDeps): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.get('/api/plans', async (ctx) => {
    const { page, limit, offset } = pageOf(parseInput(pageQuerySchema, queryOf(ctx), 'the query'));
    const result = await backendOf(deps).reads.plans({ offset, limit });
    ctx.body = listJson(result.items.map(planJson), page, limit, result.total);
  });
  router.post('/api/plans', async (ctx) => {
    const draft: PlanDraft = parseInput(planCreateBodySchema, ctx.request.body, 'the body');
    const { paywall } = backendOf(deps);
    const plan = await addPlan(paywall.store.plans, draft, paywall.defaultChatId === undefined ? {} : { defaultChatId: paywall.defaultChatId });
    ctx.status = 201;
    ctx.body = planJson(plan);
  });
  router.get('/api/plans/:id', async (ctx) => {
    const id = existingSerialId(parseInput(planId, ctx.params.id, 'the path'), 'plan');
    ctx.body = planJson(await getPlan(backendOf(deps).paywall.store.plans, id));
  });
  router.patch('/api/plans/:id', async (ctx) => {
    const id = existingSerialId(parseInput(planId, ctx.params.id, 'the path'), 'plan');
    const patch: PlanDraft = parseInput(planPatchBodySchema, ctx.request.body, 'the body');
    ctx.body = planJson(await editPlan(backendOf(deps).paywall.store.plans, id, patch));
  });
  return router;
}
