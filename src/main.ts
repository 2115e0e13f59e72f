/**
 * The CLI entry: parse, run, map errors to exit codes. The only place that
 * calls process.exit.
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { createProgram } from './cli/program.js';
import { EXIT, ExitError } from './cli/errors.js';
import { createRedactor } from './config/redact.js';
import { PaywallError } from './paywall/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
// Secrets straight from the environment: an error may quote them before the configuration is even valid.
const redact = createRedactor([process.env.TELEGRAM_BOT_TOKEN, process.env.DASHBOARD_PASSWORD].filter((s): s is string => !!s));

function report(message: string, hint?: string): void {
  process.stderr.write(`paywall: ${redact(message)}\n${hint ? `${redact(hint)}\n` : ''}`);
}

/** Maps any error to an exit code, printing one line of what and one of how to fix it. */
function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
    return EXIT.USAGE;
  }
  if (err instanceof ExitError) {
    report(err.message, err.hint);
    return err.code;
  }
  if (err instanceof PaywallError) {
    report(err.message);
    return EXIT.USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  report(`unexpected failure: ${message}`, 'Run again with LOG_LEVEL=debug for details.');
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') {
    process.stderr.write(`${redact(err instanceof Error ? (err.stack ?? message) : message)}\n`);
  }
  return EXIT.FAILURE;
}

let code: number = EXIT.OK;
try {
  const program = createProgram((c) => { code = c; }, pkg.version);
  await program.parseAsync(process.argv);
} catch (err) {
  code = exitCodeFor(err);
}
process.exit(code);
