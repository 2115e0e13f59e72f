/**
 * What hosting the bot runtime takes, in polling mode (`paywall bot`) and in
 * webhook mode (`paywall dashboard` with WEBHOOK_URL): the database, the
 * token checked with Telegram, the runtime with its texts and stats, the
 * heartbeat, a bounded stop, and the runtime's errors as exit codes.
 */
import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { startHeartbeat, type Heartbeat } from '../bot/heartbeat.js';
import { ConflictGiveUpError, TokenRejectedError, describeTelegramError, isTokenRejected } from '../bot/runtime-errors.js';
import { startBotRuntime, type BotRuntime } from '../bot/runtime.js';
import type { Config } from '../config/config.js';
import { createReadConnection, createStore, DatabaseUnavailableError, openDb, writeHeartbeat, type Db } from '../db/index.js';
import { createReadModels } from '../db/read-models/index.js';
import type { Logger } from '../log/logger.js';
import { loadTextRenderer } from '../paywall/texts/renderer.js';
import { EXIT, ExitError } from './errors.js';
import { createPaywallDeps } from './paywall-deps.js';

/** Opens the database, or exits 1 (restartable) when it cannot be reached. */
export async function openDatabaseForBot(config: Config, logger: Logger): Promise<Db> {
  try {
    return await openDb(config, logger);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw new ExitError(EXIT.FAILURE, err.message, 'Check DATABASE_URL and that the database server is running; the bot will be restarted by `paywall all`.');
    throw err;
  }
}

/** getMe: the bot, or TokenRejectedError (exit 4), or exit 1 when Telegram cannot be reached. */
export async function validateToken(api: Api): Promise<UserFromGetMe> {
  try {
    return await api.getMe();
  } catch (err) {
    if (isTokenRejected(err)) throw new TokenRejectedError();
    throw new ExitError(EXIT.FAILURE, `Could not reach the Telegram Bot API: ${describeTelegramError(err)}.`, 'Check the network and TELEGRAM_API_ROOT.');
  }
}

/** Starts the runtime (bot, jobs, sweeper, reconciliation) over `db`. */
export async function startRuntimeFor(config: Config, db: Db, botInfo: UserFromGetMe, logger: Logger): Promise<BotRuntime> {
  const store = createStore(db);
  const reads = createReadModels(db.knex, { botId: botInfo.id });
  // The pre-checkout reads beside the writer (on SQLite a connection of its own), so a payer never waits behind writes.
  const reader = createReadConnection(config.database, db, logger);
  const checkoutStore = createStore(await reader.get());
  const runtime = await startBotRuntime({
    token: config.token!,
    apiRoot: config.apiRoot,
    botInfo,
    logger,
    paywall: createPaywallDeps(config, store),
    texts: await loadTextRenderer(store.settings),
    stats: async () => ({ ...(await reads.stats(new Date())) }),
    graceMs: config.graceMs,
    sweepIntervalMs: config.sweepIntervalMs,
    reconcileIntervalMs: config.reconcileIntervalMs,
    checkoutStore,
  }).catch(async (err: unknown) => {
    await reader.close();
    throw err;
  });
  const stopRuntime = runtime.stop.bind(runtime);
  runtime.stop = async () => {
    await stopRuntime();
    await reader.close();
  };
  return runtime;
}

/** The heartbeat of a runtime in `mode`, written to `db`. */
export function startRuntimeHeartbeat(db: Db, botId: number, mode: 'polling' | 'webhook', logger: Logger): Heartbeat {
  return startHeartbeat({ mode, logger, write: (record) => writeHeartbeat(db, botId, record) });
}

const RUNTIME_STOP_MS = 8_000;

/** Stops jobs and the sweeper, bounded: a job stuck on a long retry must not hold up the exit. */
export async function stopWithin(runtime: BotRuntime | undefined, logger: Logger): Promise<void> {
  if (!runtime) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), RUNTIME_STOP_MS); });
  const result = await Promise.race([runtime.stop().then(() => 'stopped' as const), timeout]);
  clearTimeout(timer);
  if (result === 'timeout') logger.warn('Jobs still running at shutdown were left to the next start (they are queued again then)');
}

/** The runtime's errors as exit errors: a rejected token exits 4, a conflict past the give-up time 5. */
export function mapRuntimeError(err: unknown): unknown {
  if (err instanceof TokenRejectedError) {
    return new ExitError(EXIT.TOKEN_REJECTED, err.message, 'Check TELEGRAM_BOT_TOKEN: copy it again from @BotFather (it may have been revoked).');
  }
  if (err instanceof ConflictGiveUpError) {
    return new ExitError(EXIT.CONFLICT, err.message, 'Stop the other consumer of this token (an old deployment, another host), then start paywall again.');
  }
  return err;
}
