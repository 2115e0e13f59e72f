/**
 * `GET /subscribers` (search, status filter, pages of 50) and
 * `POST /users/grant`, the grant to any Telegram user id (an unseen user is
 * created), which lands on that user's page.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { grantAccess } from '../../../paywall/index.js';
import { userListQuerySchema } from '../../api/schemas.js';
import { parseInput } from '../../api/validate.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import { grantInput, telegramUserId } from '../../pages/forms.js';
import { PAGE_SIZE } from '../../views/components.js';
import { subscribersView, type GrantByIdForm } from '../../views/subscribers.js';
import { actorOf, backendOf, csrfOf, fieldOf, formOf, pageNumberOf, queryParam, redirectDone, sendPage } from './page-context.js';
import { formFailure } from './page-errors.js';

async function renderSubscribers(ctx: Context, backend: PageBackend, grant: GrantByIdForm, status?: number): Promise<void> {
  const typed = { q: queryParam(ctx, 'q').trim(), status: queryParam(ctx, 'status') };
  const filters = parseInput(userListQuerySchema, { ...(typed.q ? { q: typed.q } : {}), ...(typed.status ? { status: typed.status } : {}) }, 'the search');
  const page = pageNumberOf(ctx);
  const now = backend.paywall.clock.now();
  const [result, plans] = await Promise.all([
    backend.reads.users.list({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, now, ...filters }),
    backend.paywall.store.plans.list(),
  ]);
  const view = subscribersView({
    now, csrf: csrfOf(ctx), q: typed.q, status: typed.status, page, total: result.total, users: result.items, plans,
    hasDefaultChat: backend.paywall.defaultChatId !== undefined, grant,
  });
  sendPage(ctx, view, status === undefined ? {} : { status });
}

/** The subscribers router. */
export function subscribersRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/subscribers', async (ctx) => {
    const backend = backendOf(deps);
    await renderSubscribers(ctx, backend, { userId: '', duration: '30d', planId: '' });
  });
  router.post('/users/grant', async (ctx) => {
    const backend = backendOf(deps);
    const form = formOf(ctx);
    const typed = { userId: fieldOf(form, 'userId').trim(), duration: fieldOf(form, 'duration'), planId: fieldOf(form, 'planId') };
    let userId: number;
    try {
      userId = telegramUserId(typed.userId);
      await grantAccess(backend.paywall, { userId, ...grantInput(typed), actor: actorOf(ctx) });
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      await renderSubscribers(ctx, backend, { ...typed, error: failure.message }, failure.status);
      return;
    }
    redirectDone(ctx, `/users/${userId}`, 'granted');
  });
  return router;
}
