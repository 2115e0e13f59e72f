/** `GET /healthz`: no auth, no secrets; 503 while the database is unreachable, answered within PROBE_TIMEOUT_MS whatever the probe does. */
import Router from '@koa/router';

/** Reports whether the database answers; should give up within PROBE_TIMEOUT_MS. */
export type DatabaseProbe = () => Promise<boolean>;

/** The longest /healthz waits for the probe (SPEC 6: it gives up after 2 s). */
export const PROBE_TIMEOUT_MS = 2_000;

/** The probe's answer, false when it fails or has not answered within `timeoutMs`. */
function probeWithin(probe: DatabaseProbe, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(probe).catch(() => false), late]).finally(() => clearTimeout(timer));
}

/** The health router. */
export function healthRouter(probe: DatabaseProbe, timeoutMs = PROBE_TIMEOUT_MS): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const ok = await probeWithin(probe, timeoutMs);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ok ? 200 : 503;
    ctx.body = ok ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'unreachable' };
  });
  return router;
}
