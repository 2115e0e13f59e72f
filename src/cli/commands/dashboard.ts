/**
 * `paywall dashboard`: the web dashboard. Opens the database (or keeps trying
 * in the background while it is unreachable), makes sure an admin password
 * exists (printing a generated one once on stdout), listens, tells its
 * supervisor it is ready, and closes gracefully when told to stop.
 */
import type { Config } from '../../config/config.js';
import type { Middleware } from 'koa';
import type { ApiDeps, ApiReads } from '../../dashboard/api/ports.js';
import { assetsRouter } from '../../dashboard/assets/assets-router.js';
import { createPasswordCheck, ensureAdminPassword } from '../../dashboard/auth/password.js';
import { createDashboardApp } from '../../dashboard/create-app.js';
import type { PageBackend } from '../../dashboard/pages/deps.js';
import { pagesMiddleware } from '../../dashboard/routes/pages/index.js';
import { CHART_DAYS } from '../../dashboard/routes/pages/overview.js';
import { PortUnavailableError, serve, type Serving } from '../../dashboard/serve.js';
import { createStore, type Db } from '../../db/index.js';
import { createReadModels } from '../../db/read-models/index.js';
import { createPageReads } from '../../db/read-models/pages.js';
import type { PageReads } from '../../dashboard/pages/ports.js';
import { createSessionStore, type AdminSessionStore } from '../../db/session-store.js';
import type { Logger } from '../../log/logger.js';
import { findHtmlProblem } from '../../paywall/texts/html.js';
import { EXIT, UsageError } from '../errors.js';
import { deploymentWarnings } from '../deployment-warnings.js';
import { connectInBackground, type DatabaseConnector } from '../open-database.js';
import { createOverviewCache, type OverviewCache } from '../overview-cache.js';
import { startWebhookMode } from '../webhook-mode.js';
import { createPaywallDeps } from '../paywall-deps.js';
import { reportReady, untilAborted } from '../shutdown-signal.js';

async function listen(config: Config, app: ReturnType<typeof createDashboardApp>): Promise<Serving> {
  try {
    return await serve(app, config.host, config.port);
  } catch (err) {
    if (err instanceof PortUnavailableError) {
      throw new UsageError(err.message, err.reason === 'in-use'
        ? `Stop whatever uses port ${err.port}, or choose another with PORT or --port.`
        : `Choose a port above 1023 with PORT or --port.`);
    }
    throw err;
  }
}

/** The API's and the pages' backend over whichever database the connector currently holds. */
function backendOf(config: Config, database: DatabaseConnector, logger: Logger): { backend: () => PageBackend | undefined; warm(): void; close(): Promise<void> } {
  let built: { db: Db; cache: OverviewCache; backend: PageBackend } | undefined;
  const backend = () => {
    const db = database.current();
    if (!db) return undefined;
    if (built?.db === db) return built.backend;
    void built?.cache.close();
    const plain = createReadModels(db.knex, config.botId === undefined ? {} : { botId: config.botId });
    const pages = createPageReads(db.knex);
    // The overview's counts and sums scan big tables: computed off the request path, and again at once after a write.
    const cache = createOverviewCache(config, db, logger);
    const reads: ApiReads = { ...plain, stats: () => cache.stats() };
    const overview: PageReads['overview'] = (_now, days) => cache.overview(days);
    built = { db, cache, backend: { paywall: createPaywallDeps(config, createStore(db)), reads, pages: { ...pages, overview } } };
    return built.backend;
  };
  // Computes the overview's numbers in the background now, so that the first visit need not wait for them.
  const warm = () => {
    const ready = backend();
    if (!ready) return;
    void Promise.all([ready.reads.stats(new Date()), ready.pages.overview(new Date(), CHART_DAYS)])
      .catch((err: unknown) => logger.warn(`Could not compute the overview numbers in advance: ${(err as Error).message}`));
  };
  return { backend, warm, close: async () => { await built?.cache.close(); } };
}

/** The API's dependencies over the shared backend. */
function createApiDeps(config: Config, backend: () => PageBackend | undefined): ApiDeps {
  return {
    backend,
    checkPassword: createPasswordCheck({ configured: config.dashboardPassword, settings: () => backend()?.paywall.store.settings }),
    checkHtml: findHtmlProblem,
  };
}

/** Two middleware as one. */
function compose(first: Middleware, second: Middleware): Middleware {
  return (ctx, next) => first(ctx, () => second(ctx, next));
}

/** The admin sessions' store over whichever database the connector currently holds. */
function sessionStoreOf(database: DatabaseConnector): () => AdminSessionStore | undefined {
  let built: { db: Db; store: AdminSessionStore } | undefined;
  return () => {
    const db = database.current();
    if (!db) return undefined;
    if (built?.db !== db) built = { db, store: createSessionStore(db.knex) };
    return built.store;
  };
}

/**
 * Without DASHBOARD_PASSWORD, the first start generates the admin password and
 * prints it once, as one bare line on stdout (never through the logger, which
 * could keep it in a log store). Waits for the database when it is unreachable.
 */
async function announcePassword(config: Config, api: ApiDeps, logger: Logger, signal: AbortSignal): Promise<void> {
  if (config.dashboardPassword !== undefined) return;
  let backend = api.backend();
  while (!backend && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    backend = api.backend();
  }
  if (!backend) return;
  const password = await ensureAdminPassword(backend.paywall.store.settings, undefined);
  if (password === undefined) return;
  process.stdout.write(`${password}\n`);
  logger.warn('DASHBOARD_PASSWORD is not set: generated the admin password and printed it once on standard output (user "admin"). Keep it, or set DASHBOARD_PASSWORD to choose your own.');
}

/** Runs the dashboard until `signal` aborts; resolves with the exit code. */
export async function runDashboard(config: Config, logger: Logger, signal: AbortSignal): Promise<number> {
  if (config.webhookUrl && !config.token) {
    throw new UsageError('WEBHOOK_URL is set, so the dashboard runs the bot, but TELEGRAM_BOT_TOKEN is not set.', 'Set TELEGRAM_BOT_TOKEN in the environment or .env, or unset WEBHOOK_URL.');
  }
  const database = await connectInBackground(config, logger);
  let closeBackends: (() => Promise<void>) | undefined;
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const backends = backendOf(config, database, logger);
    closeBackends = backends.close;
    const backend = backends.backend;
    const api = createApiDeps(config, backend);
    const announced = announcePassword(config, api, logger, signal).catch((err: unknown) => logger.error({ err }, 'Could not set up the admin password'));
    if (database.current()) await announced;
    const webhook = config.webhookUrl ? startWebhookMode(config, database, logger, stopping.signal) : undefined;
    const pages = pagesMiddleware({ backend, checkHtml: findHtmlProblem, graceMs: config.graceMs, staticWarnings: deploymentWarnings(config, process.env), logger });
    const assets = assetsRouter();
    const app = createDashboardApp({
      logger,
      trustProxy: config.trustProxy,
      probeDatabase: () => database.ping(2_000),
      api,
      sessions: sessionStoreOf(database),
      pages,
      assets: compose(assets.routes() as Middleware, assets.allowedMethods() as Middleware),
      ...(webhook ? { webhook: webhook.middleware } : {}),
    });
    const serving = await listen(config, app);
    logger.info({ url: `http://${config.host}:${serving.port}` }, `Dashboard listening on port ${serving.port}`);
    reportReady({ port: serving.port });
    backends.warm();
    // Webhook mode ends the dashboard too when it cannot go on (a rejected token: exit 4; a lost lock: exit 1).
    const failure = await Promise.race([untilAborted(signal).then(() => undefined), webhook ? webhook.done.then(() => undefined, (err: unknown) => err ?? new Error('webhook mode failed')) : new Promise<never>(() => undefined)]);
    stopping.abort();
    await webhook?.done.catch(() => undefined);
    await serving.close();
    await announced;
    if (failure !== undefined) throw failure;
    logger.info('Dashboard stopped');
    return EXIT.OK;
  } finally {
    signal.removeEventListener('abort', stop);
    await closeBackends?.().catch(() => undefined);
    await database.close().catch(() => undefined);
  }
}
