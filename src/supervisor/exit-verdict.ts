/**
 * What a child's exit means (SPEC 4 and 8), decided from the exit code and
 * signal alone, never from anything the child printed.
 */
import type { ChildExit } from './types.js';

/** A crash is restarted; a final exit is not. */
export type ExitVerdict = { kind: 'crashed'; reason: string } | { kind: 'final'; reason: string };

/** Why the CLI's deliberate exit codes are not worth a restart, in words. */
const FINAL_EXIT_REASONS: Readonly<Record<number, string>> = Object.freeze({
  0: 'it stopped by itself (exit code 0)',
  2: 'bad configuration or usage (exit code 2): fix what its log says and start again',
  3: 'another instance holds the lock for this bot token (exit code 3): stop it, or see `paywall doctor`',
  4: 'Telegram rejected the bot token (exit code 4): check TELEGRAM_BOT_TOKEN',
  5:
    'another consumer has this bot token (exit code 5): a 409 Conflict past the give-up time, ' +
    'or a webhook set elsewhere; stop it, or see `paywall doctor`',
});

/** Classify one exit of a child that was not being shut down. */
export function judgeExit(exit: ChildExit): ExitVerdict {
  if (exit.signal !== undefined) return { kind: 'crashed', reason: `it was killed by ${exit.signal}` };
  if (exit.exitCode === undefined) {
    return { kind: 'crashed', reason: `it could not be started: ${exit.error ?? 'unknown error'}` };
  }
  const finalReason = FINAL_EXIT_REASONS[exit.exitCode];
  if (finalReason !== undefined) return { kind: 'final', reason: finalReason };
  return { kind: 'crashed', reason: `it exited with code ${exit.exitCode}` };
}

/** A short description of an exit for the log: 'code 1' or 'signal SIGKILL'. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal !== undefined) return `signal ${exit.signal}`;
  if (exit.exitCode !== undefined) return `code ${exit.exitCode}`;
  return `a failed start (${exit.error ?? 'unknown error'})`;
}
