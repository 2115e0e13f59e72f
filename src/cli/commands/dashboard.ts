/**
 * `paywall dashboard`: the web dashboard. Opens the database (or keeps trying
 * in the background while it is unreachable), listens, tells its supervisor
 * it is ready, and closes gracefully when told to stop.
 */
import type { Config } from '../../config/config.js';
import { createDashboardApp } from '../../dashboard/create-app.js';
import { PortUnavailableError, serve, type Serving } from '../../dashboard/serve.js';
import type { Logger } from '../../log/logger.js';
import { EXIT, UsageError } from '../errors.js';
import { connectInBackground } from '../open-database.js';
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

/** Runs the dashboard until `signal` aborts; resolves with the exit code. */
export async function runDashboard(config: Config, logger: Logger, signal: AbortSignal): Promise<number> {
  if (config.webhookUrl) {
    throw new UsageError('WEBHOOK_URL is set, but webhook mode is not available in this version.', 'Unset WEBHOOK_URL and run the bot with long polling (`paywall all` or `paywall bot`).');
  }
  const database = await connectInBackground(config, logger);
  try {
    const app = createDashboardApp({ logger, trustProxy: config.trustProxy, probeDatabase: () => database.ping(2_000) });
    const serving = await listen(config, app);
    logger.info({ url: `http://${config.host}:${serving.port}` }, `Dashboard listening on port ${serving.port}`);
    reportReady({ port: serving.port });
    await untilAborted(signal);
    await serving.close();
    logger.info('Dashboard stopped');
    return EXIT.OK;
  } finally {
    await database.close().catch(() => undefined);
  }
}
