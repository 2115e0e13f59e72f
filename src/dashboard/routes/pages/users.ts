/**
 * A user's page and its forms: `GET /users/:id`, and `POST /users/:id/grant`,
 * `/extend` (more time on one subscription's plan), `/revoke` and `/refund`.
 * Each calls the same domain function as the bot's admin commands and the
 * JSON API, then redirects (303) back with a fixed message; a refusal
 * re-renders the page with the error beside its form and what was typed.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { grantAccess, PaywallError, requestRefund, revokeAccess } from '../../../paywall/index.js';
import { notFound } from '../../api/http-errors.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import type { FlashKey } from '../../pages/flash.js';
import { grantDuration, grantInput } from '../../pages/forms.js';
import { userDetailView, type UserForms } from '../../views/user-detail.js';
import { actorOf, backendOf, csrfOf, fieldOf, formOf, pathId, redirectDone, sendPage } from './page-context.js';
import { formFailure } from './page-errors.js';

/** How many of a user's jobs the page lists. */
export const USER_JOBS_SHOWN = 30;

async function renderUser(ctx: Context, backend: PageBackend, id: number, forms: UserForms = {}, status?: number): Promise<boolean> {
  const now = backend.paywall.clock.now();
  const [record, plans, jobs, bot] = await Promise.all([
    backend.reads.users.get(id),
    backend.paywall.store.plans.list(),
    backend.pages.userJobs(id, USER_JOBS_SHOWN),
    backend.reads.botStatus(now),
  ]);
  if (!record) return false;
  const view = userDetailView({ now, csrf: csrfOf(ctx), record, plans, jobs, runtimeRunning: bot.running, hasDefaultChat: backend.paywall.defaultChatId !== undefined, forms });
  sendPage(ctx, view, status === undefined ? {} : { status });
  return true;
}

type Action = (backend: PageBackend, id: number, ctx: Context) => Promise<void>;

/** Runs a form's action: on success a 303 back with `done`; on a refusal the page again with `formsOf(error)`. */
function userAction(deps: PagesDeps, done: FlashKey, action: Action, formsOf: (ctx: Context, error: string) => UserForms) {
  return async (ctx: Context) => {
    const id = pathId(ctx, 'id', 'user');
    const backend = backendOf(deps);
    try {
      await action(backend, id, ctx);
    } catch (err) {
      const failure = formFailure(err);
      // An unknown user has no page to show the error on: the error page says it.
      if (!failure || !(await renderUser(ctx, backend, id, formsOf(ctx, failure.message), failure.status))) throw err;
      return;
    }
    redirectDone(ctx, `/users/${id}`, done);
  };
}

const grant: Action = async (backend, id, ctx) => {
  const form = formOf(ctx);
  await grantAccess(backend.paywall, { userId: id, ...grantInput({ duration: fieldOf(form, 'duration'), planId: fieldOf(form, 'planId') }), actor: actorOf(ctx) });
};

const extend: Action = async (backend, id, ctx) => {
  const form = formOf(ctx);
  const subId = fieldOf(form, 'subscriptionId').trim();
  const sub = /^\d{1,9}$/.test(subId) ? await backend.paywall.store.subscriptions.get(Number(subId)) : undefined;
  if (!sub || sub.userId !== id) throw notFound(`User ${id} has no subscription ${subId.slice(0, 20)}.`);
  const duration = grantDuration(fieldOf(form, 'duration'));
  await grantAccess(backend.paywall, { userId: id, duration, ...(sub.planId === null ? {} : { planId: sub.planId }), actor: actorOf(ctx) });
};

const revoke: Action = async (backend, id, ctx) => {
  await revokeAccess(backend.paywall, { userId: id, actor: actorOf(ctx) });
};

const refund: Action = async (backend, id, ctx) => {
  const chargeId = fieldOf(formOf(ctx), 'chargeId');
  const payment = chargeId && chargeId.length <= 255 ? await backend.paywall.store.payments.get(chargeId) : undefined;
  if (!payment || payment.userId !== id) throw new PaywallError('PAYMENT_NOT_FOUND', `User ${id} has no payment with that charge id.`, { field: 'chargeId' });
  await requestRefund(backend.paywall, { chargeId, actor: actorOf(ctx) });
};

/** The user page router. */
export function usersRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/users/:id', async (ctx) => {
    const id = pathId(ctx, 'id', 'user');
    if (!(await renderUser(ctx, backendOf(deps), id))) throw notFound(`There is no user ${id}.`);
  });
  const typed = (ctx: Context, name: string) => fieldOf(formOf(ctx), name);
  router.post('/users/:id/grant', userAction(deps, 'granted', grant, (ctx, error) => ({ grant: { duration: typed(ctx, 'duration'), planId: typed(ctx, 'planId'), error } })));
  router.post('/users/:id/extend', userAction(deps, 'extended', extend, (ctx, error) => ({ extend: { subscriptionId: typed(ctx, 'subscriptionId').trim(), duration: typed(ctx, 'duration'), error } })));
  router.post('/users/:id/revoke', userAction(deps, 'revoked', revoke, (_ctx, error) => ({ revoke: { error } })));
  router.post('/users/:id/refund', userAction(deps, 'refund-queued', refund, (ctx, error) => ({ refund: { chargeId: typed(ctx, 'chargeId'), error } })));
  return router;
}
