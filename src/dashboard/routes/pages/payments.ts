/** `GET /payments?status=&userId=&page=`: payments, newest first, 50 a page, with the CSV export link. */
import Router from '@koa/router';
import { paymentListQuerySchema } from '../../api/schemas.js';
import { parseInput } from '../../api/validate.js';
import type { PagesDeps } from '../../pages/deps.js';
import { PAGE_SIZE } from '../../views/components.js';
import { paymentsView } from '../../views/payments.js';
import { backendOf, pageNumberOf, queryParam, sendPage } from './page-context.js';

/** The payments router. */
export function paymentsRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/payments', async (ctx) => {
    const typed = { status: queryParam(ctx, 'status'), userId: queryParam(ctx, 'userId').trim() };
    const filters = parseInput(paymentListQuerySchema, { ...(typed.status ? { status: typed.status } : {}), ...(typed.userId ? { userId: typed.userId } : {}) }, 'the filters');
    const page = pageNumberOf(ctx);
    const backend = backendOf(deps);
    const [result, plans] = await Promise.all([
      backend.reads.payments({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, ...(filters.status ? { status: filters.status } : {}), ...(filters.userId ? { userId: filters.userId } : {}) }),
      backend.paywall.store.plans.list(),
    ]);
    sendPage(ctx, paymentsView({ ...typed, page, total: result.total, payments: result.items, plans }));
  });
  return router;
}
