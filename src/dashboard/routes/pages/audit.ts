/** `GET /audit?action=&page=`: the audit log, newest first, 50 a page. */
import Router from '@koa/router';
import { badRequest } from '../../api/http-errors.js';
import type { PagesDeps } from '../../pages/deps.js';
import { auditView } from '../../views/audit.js';
import { PAGE_SIZE } from '../../views/components.js';
import { backendOf, pageNumberOf, queryParam, sendPage } from './page-context.js';

const ACTION = /^[a-z][a-z0-9_.:-]{0,39}$/;

/** The audit log router. */
export function auditRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/audit', async (ctx) => {
    const action = queryParam(ctx, 'action').trim();
    if (action && !ACTION.test(action)) throw badRequest('action must be a word such as grant, revoke, refund, broadcast, plan or settings.');
    const page = pageNumberOf(ctx);
    const result = await backendOf(deps).pages.audit({ offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, ...(action ? { action } : {}) });
    sendPage(ctx, auditView({ action, page, total: result.total, entries: result.items }));
  });
  return router;
}
