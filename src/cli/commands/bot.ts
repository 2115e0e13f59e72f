/**
 * `paywall bot`: the bot runtime with long polling. Reads like its steps:
 * check the token, take this host's lock (first, before anything heavy is
 * loaded: a second instance is refused at once), then run the polling bot
 * (database, token, lease, webhook check, polling while both are held).
 */
import type { Config } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { takeInstanceLock } from '../consumer-guard.js';
import { EXIT, ExitError, UsageError } from '../errors.js';

/** Flags of `paywall bot`. */
export interface BotOptions {
  wait?: boolean;
  deleteWebhook?: boolean;
}

/** The token, or exit 2 saying how to set it. */
export function requireToken(config: Config): string {
  if (config.webhookUrl) {
    throw new UsageError(
      'WEBHOOK_URL is set, so updates arrive by webhook and there must be no poller.',
      'Unset WEBHOOK_URL to use long polling with `paywall bot`.',
    );
  }
  if (!config.token) {
    throw new UsageError('TELEGRAM_BOT_TOKEN is not set: the bot cannot start without it.', 'Set it in the environment or in .env: TELEGRAM_BOT_TOKEN=123456789:AAE-your-token-from-BotFather');
  }
  return config.token;
}

/** Runs the bot until `signal` aborts; resolves with the exit code. */
export async function runBot(config: Config, logger: Logger, options: BotOptions, signal: AbortSignal): Promise<number> {
  requireToken(config);
  let held;
  try {
    held = await takeInstanceLock({ config, logger, wait: options.wait === true, signal });
  } catch (err) {
    // Stopped while waiting for the lock (--wait): a clean exit.
    if (signal.aborted && !(err instanceof ExitError) && !(err instanceof UsageError)) return EXIT.OK;
    throw err;
  }
  const { runPollingBot } = await import('../polling-bot.js');
  return runPollingBot(config, logger, { wait: options.wait === true, deleteWebhook: options.deleteWebhook === true }, signal, held);
}
