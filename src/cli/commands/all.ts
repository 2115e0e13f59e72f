/**
 * `paywall all`: validates the whole configuration, then supervises
 * `paywall dashboard` and `paywall bot` as child processes of this same CLI.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/config.js';
import type { ConfigFlags } from '../../config/fields.js';
import type { Logger } from '../../log/logger.js';
import { runSupervisor, type ChildSpec } from '../../supervisor/index.js';

/** Flags of `paywall all`. */
export interface AllOptions {
  deleteWebhook?: boolean;
}

/** The CLI entry the children run (`node bin/paywall.js <subcommand>`). */
export const CLI_ENTRY = fileURLToPath(new URL('../../../../bin/paywall.js', import.meta.url));

const FLAG_NAMES: Record<keyof ConfigFlags, string> = {
  apiRoot: '--api-root',
  db: '--db',
  port: '--port',
  host: '--host',
  trustProxy: '--trust-proxy',
  lockDir: '--lock-dir',
  grace: '--grace',
};

/** The configuration flags given to `all`, passed on unchanged to both children. */
export function forwardedFlags(flags: ConfigFlags): string[] {
  const out: string[] = [];
  for (const [key, name] of Object.entries(FLAG_NAMES) as [keyof ConfigFlags, string][]) {
    const value = flags[key];
    if (value === undefined || value === false) continue;
    out.push(...(value === true ? [name] : [`${name}=${value}`]));
  }
  return out;
}

/** The children to run, in start order, given the configuration. */
export function childSpecs(config: Config, flags: ConfigFlags, options: AllOptions, logger: Logger): ChildSpec[] {
  const common = forwardedFlags(flags);
  const children: ChildSpec[] = [{ name: 'dashboard', args: [CLI_ENTRY, 'dashboard', ...common] }];
  if (!config.token) {
    logger.warn('TELEGRAM_BOT_TOKEN is not set: running the dashboard alone, without the bot. To enable the bot, set TELEGRAM_BOT_TOKEN (from @BotFather) in the environment or .env and restart.');
    return children;
  }
  if (config.webhookUrl) {
    logger.info('WEBHOOK_URL is set: running the dashboard alone; it runs the bot runtime too, fed by the webhook (no poller).');
    return children;
  }
  const botArgs = [CLI_ENTRY, 'bot', ...common, ...(options.deleteWebhook ? ['--delete-webhook'] : [])];
  children.push({ name: 'bot', args: botArgs, waitForReadyOf: 'dashboard' });
  return children;
}

/** Runs the supervisor until `signal` aborts or no child is left; resolves with the exit code. */
export async function runAll(config: Config, flags: ConfigFlags, options: AllOptions, logger: Logger, signal: AbortSignal): Promise<number> {
  return runSupervisor({
    nodePath: process.execPath,
    children: childSpecs(config, flags, options, logger),
    env: { ...process.env },
    cwd: process.cwd(),
    shutdownGraceMs: config.shutdownGraceMs,
    logger,
    output: { write: (line) => process.stderr.write(line) },
    color: process.stderr.isTTY === true,
    signal,
  });
}
