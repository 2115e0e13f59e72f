/**
 * The bot runtime, fed by polling or a webhook: the bot and its features, the
 * job runner (the outbox), the sweeper, reconciliation of Stars transactions,
 * the bot's rights in each protected chat, and the command menu in both
 * languages.
 */
import { hostname } from 'node:os';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { createJobRunner, type JobRunner, type PaywallDeps, type TextRenderer } from '../paywall/index.js';
import { createBot, type BotDeps, type PaywallBot } from './create-bot.js';
import { startReconcileLoop, type ReconcileLoop } from './reconcile-loop.js';
import { describeTelegramError } from './runtime-errors.js';
import { startSweeperLoop, type SweeperLoop } from './sweeper-loop.js';

/** What the runtime needs: the bot's dependencies (it wakes its own jobs) and the sweeper's timing. */
export interface RuntimeOptions extends Omit<BotDeps, 'wakeJobs'> {
  graceMs: number;
  sweepIntervalMs: number;
  /** PAYWALL_RECONCILE_INTERVAL: how often Stars transactions are reconciled (also once at start). */
  reconcileIntervalMs: number;
}

/** A running runtime. */
export interface BotRuntime {
  readonly bot: PaywallBot;
  /** The domain's dependencies the runtime works with. */
  readonly paywall: PaywallDeps;
  /** The bot's Telegram id. */
  readonly botId: number;
  /** Tells the job runner there is new work. */
  wakeJobs(): void;
  /** Reconciles Stars transactions now; resolves when done. */
  reconcileNow(): Promise<void>;
  handleUpdate(update: Update): Promise<void>;
  stop(): Promise<void>;
}

const COMMANDS = ['start', 'plans', 'status', 'help', 'terms', 'paysupport'] as const;

async function setCommandMenu(bot: PaywallBot, texts: TextRenderer, logger: Logger): Promise<void> {
  for (const lang of [undefined, 'es'] as const) {
    const commands = COMMANDS.map((command) => ({ command, description: texts.render(lang ?? 'en', `commands.${command}`) }));
    await bot.bot.api.setMyCommands(commands, lang ? { language_code: lang } : {}).catch((err: unknown) => logger.warn(`Could not set the command menu: ${describeTelegramError(err)}`));
  }
}

/** Asks Telegram for the bot's rights in every chat a plan (or PAYWALL_CHAT_ID) protects. */
export async function refreshChatRights(paywall: PaywallDeps, bot: PaywallBot, logger: Logger): Promise<void> {
  const chatIds = new Set<number>();
  for (const plan of await paywall.store.plans.list()) for (const chatId of plan.chatIds) chatIds.add(chatId);
  if (paywall.defaultChatId !== undefined) chatIds.add(paywall.defaultChatId);
  for (const chatId of chatIds) {
    try {
      const rights = await bot.gateway.botRights(chatId);
      await paywall.store.chats.upsert({ chatId, title: rights.title, botStatus: rights.status, canInviteUsers: rights.canInviteUsers, canRestrictMembers: rights.canRestrictMembers, checkedAt: paywall.clock.now() });
      if (!rights.canInviteUsers || !rights.canRestrictMembers) {
        logger.warn({ chatId }, 'The bot cannot manage this protected chat: make it an admin with "Invite users" and "Ban users" rights. Purchases of plans for it are declined until then.');
      }
    } catch (err) {
      await paywall.store.chats.upsert({ chatId, title: null, botStatus: 'unknown', canInviteUsers: false, canRestrictMembers: false, checkedAt: paywall.clock.now() });
      logger.warn({ chatId }, `Could not check the bot's rights in a protected chat: ${(err as Error).message}`);
    }
  }
}

/** Starts the runtime's background work; updates are fed through handleUpdate. */
export async function startBotRuntime(options: RuntimeOptions): Promise<BotRuntime> {
  const stopping = new AbortController();
  let jobs: JobRunner | undefined;
  let sweeper: SweeperLoop | undefined;
  let reconcile: ReconcileLoop | undefined;
  const wake = () => { jobs?.wake(); sweeper?.wake(); };
  const bot = createBot({ ...options, wakeJobs: wake });
  await refreshChatRights(options.paywall, bot, options.logger);
  await setCommandMenu(bot, options.texts, options.logger);
  const recovered = await options.paywall.store.jobs.recoverStale(options.paywall.clock.now(), options.paywall.clock.now());
  if (recovered > 0) options.logger.warn({ recovered }, 'Jobs left running by a previous runtime were queued again');
  jobs = createJobRunner({ ...options.paywall, gateway: bot.gateway, texts: options.texts, log: options.logger, workerId: `${hostname()}:${process.pid}`, signal: stopping.signal });
  jobs.start();
  sweeper = startSweeperLoop(options.paywall, { graceMs: options.graceMs, maxSleepMs: options.sweepIntervalMs, logger: options.logger, onWork: () => jobs?.wake() });
  // Payments whose updates were lost (a crash, an outage) are found in Telegram's ledger: at start, then every interval.
  reconcile = startReconcileLoop(
    { ...options.paywall, gateway: bot.gateway, log: options.logger },
    { intervalMs: options.reconcileIntervalMs, logger: options.logger, signal: stopping.signal, onRepaired: () => jobs?.wake() },
  );
  return {
    bot,
    paywall: options.paywall,
    botId: options.botInfo.id,
    wakeJobs: () => jobs?.wake(),
    reconcileNow: async () => { await reconcile?.runNow(); },
    handleUpdate: (update) => bot.bot.handleUpdate(update),
    async stop() {
      stopping.abort();
      await reconcile?.stop();
      await sweeper?.stop();
      await jobs?.stop();
      await bot.limits.stop();
    },
  };
}
