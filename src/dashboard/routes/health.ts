/** `GET /healthz`: no auth, no secrets; 503 while the database is unreachable. */
import Router from '@koa/router';

/** Reports whether the database answers; must give up within ~2 s. */
export type DatabaseProbe = () => Promise<boolean>;

/** The health router. */
export function healthRouter(probe: DatabaseProbe): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const ok = await probe().catch(() => false);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ok ? 200 : 503;
    ctx.body = ok ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'unreachable' };
  });
  return router;
}
