/**
 * Payments: `GET /api/payments` (pages, newest first; `?format=csv` streams
 * every payment as CSV instead) and `POST /api/payments/:chargeId/refund`,
 * which queues the refund (202 with the job id).
 */
import Router from '@koa/router';
import type { Logger } from 'pino';
import { requestRefund } from '../../../paywall/index.js';
import { paymentsCsv } from '../../api/payments-csv.js';
import type { ApiDeps } from '../../api/ports.js';
import { chargeIdSchema, paymentListQuerySchema } from '../../api/schemas.js';
import { listJson, paymentJson } from '../../api/serializers.js';
import { parseInput } from '../../api/validate.js';
import { actorOf, backendOf, outageAware, pageOf, queryOf } from './api-context.js';

/** The payments router. */
export function paymentsRouter(deps: ApiDeps, logger: Logger): Router {
  const router = new Router();
  router.use(outageAware(deps));
  router.get('/api/payments', async (ctx) => {
    const query = parseInput(paymentListQuerySchema, queryOf(ctx), 'the query');
    const { reads } = backendOf(deps);
    if (query.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('payments.csv');
      ctx.body = paymentsCsv(reads.paymentExport(), (err) => logger.error({ err }, 'The payments CSV export failed mid-stream'));
      return;
    }
    const { page, limit, offset } = pageOf(query);
    const result = await reads.payments({ offset, limit, ...(query.userId ? { userId: query.userId } : {}), ...(query.status ? { status: query.status } : {}) });
    ctx.body = listJson(result.items.map(paymentJson), page, limit, result.total);
  });
  router.post('/api/payments/:chargeId/refund', async (ctx) => {
    const chargeId = parseInput(chargeIdSchema, ctx.params.chargeId, 'the path');
    const job = await requestRefund(backendOf(deps).paywall, { chargeId, actor: actorOf(ctx) });
    ctx.status = 202;
    ctx.body = { jobId: job.id };
  });
  return router;
}
