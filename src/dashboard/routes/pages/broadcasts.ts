/**
 * Broadcasts: `GET /broadcasts` (compose and history), `POST
 * /broadcasts/preview` (the form again with a preview, or the checker's
 * error), `POST /broadcasts` (startBroadcast, then that broadcast's page) and
 * `GET /broadcasts/:id` (live progress).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { startBroadcast } from '../../../paywall/index.js';
import { badRequest, notFound } from '../../api/http-errors.js';
import { MAX_BROADCAST_LENGTH } from '../../api/schemas.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import { MAX_SERIAL_ID } from '../../pages/forms.js';
import { PAGE_SIZE } from '../../views/components.js';
import { broadcastDetailView, broadcastsView, type ComposeState } from '../../views/broadcasts.js';
import { actorOf, backendOf, csrfOf, fieldOf, formOf, pageNumberOf, pathId, redirectDone, sendPage } from './page-context.js';
import { formFailure } from './page-errors.js';

async function renderCompose(ctx: Context, backend: PageBackend, state: ComposeState, status?: number): Promise<void> {
  const page = pageNumberOf(ctx);
  const now = backend.paywall.clock.now();
  const [history, bot] = await Promise.all([backend.pages.broadcasts({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }), backend.reads.botStatus(now)]);
  const view = broadcastsView({ csrf: csrfOf(ctx), state, history: history.items, page, total: history.total, runtimeRunning: bot.running });
  sendPage(ctx, view, status === undefined ? {} : { status });
}

function typedBroadcast(ctx: Context): { text: string; audience: string } {
  const form = formOf(ctx);
  return { text: fieldOf(form, 'text'), audience: fieldOf(form, 'audience') || 'active' };
}

/** What is wrong with a broadcast text, or undefined. */
function textProblem(deps: PagesDeps, text: string): string | undefined {
  if (text.length > MAX_BROADCAST_LENGTH) return `the text is ${text.length} characters long, at most ${MAX_BROADCAST_LENGTH}`;
  return deps.checkHtml(text);
}

/** The broadcasts router. */
export function broadcastsRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/broadcasts', async (ctx) => {
    await renderCompose(ctx, backendOf(deps), { text: '', audience: 'active' });
  });
  router.post('/broadcasts/preview', async (ctx) => {
    const typed = typedBroadcast(ctx);
    const problem = textProblem(deps, typed.text);
    await renderCompose(ctx, backendOf(deps), { ...typed, preview: problem ? { problem } : {} }, problem ? 400 : 200);
  });
  router.post('/broadcasts', async (ctx) => {
    const backend = backendOf(deps);
    const typed = typedBroadcast(ctx);
    let id: number;
    try {
      if (typed.text.length > MAX_BROADCAST_LENGTH) throw badRequest(`The text is ${typed.text.length} characters long, at most ${MAX_BROADCAST_LENGTH}.`);
      id = (await startBroadcast(backend.paywall, { ...typed, actor: actorOf(ctx) }, deps.checkHtml)).id;
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      await renderCompose(ctx, backend, { ...typed, error: failure.message }, failure.status);
      return;
    }
    redirectDone(ctx, `/broadcasts/${id}`, 'broadcast-started');
  });
  router.get('/broadcasts/:id', async (ctx) => {
    const id = pathId(ctx, 'id', 'broadcast', MAX_SERIAL_ID);
    const backend = backendOf(deps);
    const broadcast = await backend.paywall.store.broadcasts.get(id);
    if (!broadcast) throw notFound(`There is no broadcast ${id}.`);
    const bot = await backend.reads.botStatus(backend.paywall.clock.now());
    sendPage(ctx, broadcastDetailView({ broadcast, runtimeRunning: bot.running }));
  });
  return router;
}
