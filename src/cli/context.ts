/** The per-command context: configuration validated once, and a logger that cannot leak secrets. */
import { loadConfig, type Config } from '../config/config.js';
import type { ConfigFlags } from '../config/fields.js';
import { createLogger, type Logger } from '../log/logger.js';

/** What every command receives. */
export interface CommandContext {
  config: Config;
  logger: Logger;
}

/** Loads the configuration from flags, the environment and `.env`; throws UsageError on a bad value. */
export function createCommandContext(flags: ConfigFlags, name: string): CommandContext {
  const config = loadConfig({ env: process.env, flags, cwd: process.cwd(), stderrIsTTY: process.stderr.isTTY === true });
  const logger = createLogger({ logLevel: config.logLevel, logFormat: config.logFormat, secrets: config.secrets, name });
  return { config, logger };
}
