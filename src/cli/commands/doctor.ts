/**
 * `paywall doctor [--repair] [--json]`: checks the configuration, Telegram
 * (token, webhook, the bot's rights in every protected chat), the database
 * (reachable, migrations, owner, failed jobs), who runs the bot (lock, lease,
 * heartbeat) and whether the bot and this configuration share one database;
 * prints one line per check with the fix for anything not ok. Exit 1 when a
 * problem was found, 0 otherwise (warnings alone: 0). It never migrates,
 * never takes the lock and never consumes updates; `--repair` reconciles the
 * Stars ledger once. Reads like its steps.
 */
import { hostname } from 'node:os';
import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createGateway } from '../../bot/gateway.js';
import type { SendLimits } from '../../bot/send-limits.js';
import type { Config } from '../../config/config.js';
import { createRedactor } from '../../config/redact.js';
import { readHeartbeat, type Db } from '../../db/index.js';
import { botStatusOf } from '../../db/read-models/bot-status.js';
import type { Logger } from '../../log/logger.js';
import type { TelegramGateway } from '../../paywall/index.js';
import { deploymentWarnings } from '../deployment-warnings.js';
import { ok, problem, reason, skipped, warning, type CheckResult } from '../doctor/check.js';
import { checkChatRights } from '../doctor/chat-checks.js';
import { checkJobs, checkOwner, judgeMigrations, openDatabase, readMigrationState } from '../doctor/database-checks.js';
import { checkLedger } from '../doctor/ledger-check.js';
import { runRepair } from '../doctor/repair.js';
import { doctorExitCode, formatJson, formatReport } from '../doctor/report.js';
import { checkLease, judgeHeartbeat, judgeLock, judgeSharing, readLockFacts } from '../doctor/runtime-checks.js';
import { checkToken, checkWebhook, createDoctorApi, hostOf } from '../doctor/telegram-checks.js';

/** Flags of `paywall doctor`. */
export interface DoctorOptions {
  /** Reconcile the Stars ledger once and report what was recorded. */
  repair?: boolean;
  /** Print the report as JSON. */
  json?: boolean;
}

/** Where doctor writes its report, and the environment the deployment warnings read. */
export interface DoctorIo {
  stdout(text: string): void;
  env: Record<string, string | undefined>;
}

/** Telegram, once the token is accepted. Doctor sends nothing, so no sending limits apply. */
interface TelegramSide {
  api: Api;
  bot: UserFromGetMe;
  gateway: TelegramGateway;
}

const NO_SEND_LIMITS: SendLimits = { bulk: (send) => send(), stop: async () => undefined };

/** Runs `work`; an unexpected failure becomes a problem line instead of ending doctor. */
async function guard(check: string, work: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await work();
  } catch (err) {
    return [problem(check, `The check failed unexpectedly: ${reason(err)}.`, 'Run paywall doctor again with LOG_LEVEL=debug, and report the error if it stays.')];
  }
}

function configResults(config: Config, env: DoctorIo['env']): CheckResult[] {
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.filename}` : `PostgreSQL at ${hostOf(config.database.url)}`;
  const mode = config.webhookUrl ? `webhook mode (${hostOf(config.webhookUrl)})` : 'long polling';
  const results = [ok('config', `The configuration is valid: ${where}; ${mode}; Bot API ${config.apiRoot}; lock directory ${config.lockDir}.`)];
  for (const text of deploymentWarnings(config, env)) {
    results.push(warning('deployment', text, 'Move the data before the next deploy: back it up with `paywall db backup`, then use PostgreSQL (DATABASE_URL=postgres://…) or a mounted volume.'));
  }
  return results;
}

async function telegramChecks(config: Config, results: CheckResult[]): Promise<TelegramSide | undefined> {
  if (!config.token) {
    results.push(problem('token', 'TELEGRAM_BOT_TOKEN is not set: no bot can run.', 'Set it in the environment or in .env: TELEGRAM_BOT_TOKEN=123456789:AAE-your-token-from-BotFather'));
    results.push(skipped('webhook', 'Skipped: it needs a token.'));
    return undefined;
  }
  const api = createDoctorApi(config.token, config.apiRoot);
  const token = await checkToken(api, config.apiRoot);
  results.push(token.result);
  if (!token.bot) {
    results.push(skipped('webhook', 'Skipped: it needs a token that Telegram accepts.'));
    return undefined;
  }
  results.push(...(await guard('webhook', async () => [await checkWebhook(api, config.apiRoot, config.webhookUrl, () => new Date())])));
  return { api, bot: token.bot, gateway: createGateway(api, NO_SEND_LIMITS, token.bot.id) };
}

/** Skipped lines for `checks`, which need `what`. */
function skipAll(checks: readonly string[], what: string): CheckResult[] {
  return checks.map((check) => skipped(check, `Skipped: it needs ${what}.`));
}

/** Lock, lease, heartbeat and sharing; without a usable database (`db` a string saying what is missing), the lock alone. */
async function runtimeChecks(config: Config, db: Db | string, queued = 0): Promise<{ results: CheckResult[]; running: boolean }> {
  if (!config.tokenHash) return { results: skipAll(['lock', 'runtime'], 'a token'), running: false };
  const now = new Date();
  const lock = await readLockFacts(config.lockDir, config.tokenHash);
  const results = [judgeLock(lock, hostname())];
  if (typeof db === 'string') return { results: [...results, ...skipAll(['runtime'], db)], running: false };
  const lease = await checkLease(config.database, config.tokenHash);
  if (lease.result) results.push(lease.result);
  const heartbeat = await readHeartbeat(db, config.botId);
  results.push(...judgeHeartbeat(heartbeat, now, queued));
  const running = heartbeat !== undefined && botStatusOf(heartbeat, now).running;
  if (lease.result && !lease.holder && running && heartbeat.mode === 'polling') {
    results.push(warning('lease', `A bot runtime (pid ${heartbeat.pid} on host ${heartbeat.host}) runs without holding the database lease: a second host could consume this token too.`, 'Upgrade that bot to this version of paywall and restart it; make sure DATABASE_URL does not go through a transaction-mode pooler.'));
  }
  const sharing = judgeSharing({ host: hostname(), now, lock, heartbeat });
  if (sharing) results.push(sharing);
  return { results, running };
}

/** What can be said without the database's tables (`missing` names what is missing): the lock, and the rest skipped. */
async function withoutTables(config: Config, missing: string, options: DoctorOptions): Promise<CheckResult[]> {
  const lock = await guard('lock', async () => (await runtimeChecks(config, missing)).results);
  return [...skipAll(['owner', 'chat-rights'], missing), ...lock, ...skipAll(['jobs', ...(options.repair ? ['repair'] : []), 'payments'], missing)];
}

/** The runtime checks (told how many jobs wait), then the jobs line; and whether a runtime is running. */
async function runtimeAndJobs(config: Config, db: Db): Promise<{ results: CheckResult[]; running: boolean }> {
  let queued = 0;
  const jobs = await guard('jobs', async () => {
    const checked = await checkJobs(db);
    queued = checked.queued;
    return [checked.result];
  });
  let running = false;
  const runtime = await guard('runtime', async () => {
    const checked = await runtimeChecks(config, db, queued);
    running = checked.running;
    return checked.results;
  });
  return { results: [...runtime, ...jobs], running };
}

/** `--repair`, then the ledger check (after it, so that what it recorded counts as recorded). */
async function paymentChecks(config: Config, db: Db, gateway: TelegramGateway, options: DoctorOptions, logger: Logger, running: boolean): Promise<CheckResult[]> {
  const repaired = options.repair ? await runRepair(config, db, gateway, logger, running) : [];
  return [...repaired, ...(await guard('payments', () => checkLedger(db, gateway, new Date())))];
}

async function databaseChecks(config: Config, db: Db, telegram: TelegramSide | undefined, options: DoctorOptions, logger: Logger): Promise<CheckResult[]> {
  const schema = judgeMigrations(await readMigrationState(db));
  if (!schema.current) return [...schema.results, ...(await withoutTables(config, 'the current schema', options))];
  const owner = await checkOwner(db, config.botId);
  const noTelegram = (check: string) => skipped(check, 'Skipped: it needs a token that Telegram accepts.');
  const chats = telegram
    ? await guard('chat-rights', () => checkChatRights({ db, gateway: telegram.gateway, defaultChatId: config.defaultChatId, record: owner.ours, now: () => new Date() }))
    : [noTelegram('chat-rights')];
  const runtime = await runtimeAndJobs(config, db);
  const results = [...schema.results, owner.result, ...chats, ...runtime.results];
  if (telegram && owner.ours) return [...results, ...(await paymentChecks(config, db, telegram.gateway, options, logger, runtime.running))];
  const why = telegram ? 'Skipped: the database belongs to another bot.' : 'Skipped: it needs a token that Telegram accepts.';
  return [...results, ...[...(options.repair ? ['repair'] : []), 'payments'].map((check) => skipped(check, why))];
}

/** `doctor`: prints the report on stdout; resolves with 1 when a problem was found, else 0. */
export async function runDoctor(config: Config, logger: Logger, options: DoctorOptions, io: DoctorIo): Promise<number> {
  const results = configResults(config, io.env);
  const telegram = await telegramChecks(config, results);
  const opened = await openDatabase(config, logger);
  results.push(opened.result);
  try {
    if (opened.db) results.push(...(await guard('database', () => databaseChecks(config, opened.db!, telegram, options, logger))));
    else {
      results.push(...skipAll(['schema'], 'the database'), ...(await withoutTables(config, 'the database', options)));
    }
  } finally {
    await opened.db?.close().catch(() => undefined);
  }
  const redact = createRedactor(config.secrets);
  io.stdout(redact(options.json ? formatJson(results) : formatReport(results)));
  return doctorExitCode(results);
}
