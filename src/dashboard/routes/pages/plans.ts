/**
 * Plans: `GET /plans` (list and create form), `POST /plans` (create),
 * `GET /plans/:id` (edit form), `POST /plans/:id` (save) and
 * `POST /plans/:id/active` (disable or enable). The domain's plan rules
 * decide, as for the CLI and the API; each change is recorded in the audit
 * log in the same transaction.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { addPlan, editPlan, getPlan, setPlanActive, type Plan, type PlanDraft } from '../../../paywall/index.js';
import { badRequest } from '../../api/http-errors.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import { MAX_SERIAL_ID, planDraft, type PlanFormFields } from '../../pages/forms.js';
import { PAGE_SIZE } from '../../views/components.js';
import { planEditView, planFormFields, plansView, type PlanFormState } from '../../views/plans.js';
import { actorOf, backendOf, csrfOf, fieldOf, formOf, pageNumberOf, pathId, redirectDone, sendPage, type Form } from './page-context.js';
import { formFailure } from './page-errors.js';

function typedPlan(form: Form): PlanFormFields {
  return {
    title: fieldOf(form, 'title'),
    description: fieldOf(form, 'description'),
    price: fieldOf(form, 'price'),
    duration: fieldOf(form, 'duration'),
    chatIds: fieldOf(form, 'chatIds'),
    recurring: form.recurring !== undefined && fieldOf(form, 'recurring') !== '' && fieldOf(form, 'recurring') !== 'off',
  };
}

function auditDetails(plan: Plan, change: string): Record<string, unknown> {
  return { change, title: plan.title, price: plan.price, duration: plan.duration, chatIds: [...plan.chatIds], recurring: plan.recurring, active: plan.active };
}

async function renderList(ctx: Context, backend: PageBackend, create: PlanFormState, status?: number): Promise<void> {
  const page = pageNumberOf(ctx);
  const result = await backend.reads.plans({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const view = plansView({ csrf: csrfOf(ctx), plans: result.items, page, total: result.total, create, defaultChatId: backend.paywall.defaultChatId });
  sendPage(ctx, view, status === undefined ? {} : { status });
}

async function renderEdit(ctx: Context, backend: PageBackend, plan: Plan, state: PlanFormState, status?: number): Promise<void> {
  sendPage(ctx, planEditView({ csrf: csrfOf(ctx), plan, state, defaultChatId: backend.paywall.defaultChatId }), status === undefined ? {} : { status });
}

/** Runs a plan change and its audit entry in one transaction. */
function changePlan(backend: PageBackend, actor: string, change: string, work: (plans: PageBackend['paywall']['store']['plans']) => Promise<Plan>): Promise<Plan> {
  const { store, clock } = backend.paywall;
  return store.transaction(async (tx) => {
    const plan = await work(tx.plans);
    await tx.audit.record({ actor, action: 'plan', target: `plan:${plan.id}`, details: auditDetails(plan, change) }, clock.now());
    return plan;
  });
}

/** The plans router. */
export function plansRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/plans', async (ctx) => {
    await renderList(ctx, backendOf(deps), { fields: planFormFields() });
  });
  router.post('/plans', async (ctx) => {
    const backend = backendOf(deps);
    const fields = typedPlan(formOf(ctx));
    const rules = backend.paywall.defaultChatId === undefined ? {} : { defaultChatId: backend.paywall.defaultChatId };
    try {
      const draft: PlanDraft = planDraft(fields);
      await changePlan(backend, actorOf(ctx), 'create', (plans) => addPlan(plans, draft, rules));
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      await renderList(ctx, backend, { fields, error: failure.message }, failure.status);
      return;
    }
    redirectDone(ctx, '/plans', 'plan-created');
  });
  router.get('/plans/:id', async (ctx) => {
    const backend = backendOf(deps);
    const plan = await getPlan(backend.paywall.store.plans, pathId(ctx, 'id', 'plan', MAX_SERIAL_ID));
    await renderEdit(ctx, backend, plan, { fields: planFormFields(plan) });
  });
  router.post('/plans/:id', async (ctx) => {
    const backend = backendOf(deps);
    const plan = await getPlan(backend.paywall.store.plans, pathId(ctx, 'id', 'plan', MAX_SERIAL_ID));
    const fields = typedPlan(formOf(ctx));
    try {
      const draft = planDraft(fields);
      await changePlan(backend, actorOf(ctx), 'edit', (plans) => editPlan(plans, plan.id, draft));
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      await renderEdit(ctx, backend, plan, { fields, error: failure.message }, failure.status);
      return;
    }
    redirectDone(ctx, `/plans/${plan.id}`, 'plan-saved');
  });
  router.post('/plans/:id/active', async (ctx) => {
    const backend = backendOf(deps);
    const id = pathId(ctx, 'id', 'plan', MAX_SERIAL_ID);
    const form = formOf(ctx);
    const active = fieldOf(form, 'active');
    if (active !== 'true' && active !== 'false') throw badRequest('active must be true or false.');
    const plan = await changePlan(backend, actorOf(ctx), active === 'true' ? 'enable' : 'disable', (plans) => setPlanActive(plans, id, active === 'true'));
    redirectDone(ctx, fieldOf(form, 'from') === 'plan' ? `/plans/${plan.id}` : '/plans', plan.active ? 'plan-enabled' : 'plan-disabled');
  });
  return router;
}
