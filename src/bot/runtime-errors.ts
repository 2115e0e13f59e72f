/**
 * Errors the bot runtime ends with; the CLI maps each to its exit code.
 * Telegram errors are classified by error_code, never by message text.
 */
import { GrammyError, HttpError } from 'grammy';

/** Telegram answered 401/404 for the token (revoked or never valid). */
export class TokenRejectedError extends Error {
  constructor() {
    super('Telegram rejected the bot token (401 Unauthorized).');
    this.name = 'TokenRejectedError';
  }
}

/** Another consumer kept the token busy past PAYWALL_CONFLICT_GIVEUP, or a webhook is set elsewhere. */
export class ConflictGiveUpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictGiveUpError';
  }
}

/** The instance lock was lost while held: update consumption stopped. */
export class LockLostError extends Error {
  constructor(cause: Error) {
    super(`The instance lock was lost (${cause.message}); stopped consuming updates.`);
    this.name = 'LockLostError';
  }
}

/** Telegram's error_code, when the error came from Telegram. */
export function telegramErrorCode(err: unknown): number | undefined {
  return err instanceof GrammyError ? err.error_code : undefined;
}

/** True when the token itself was refused. */
export function isTokenRejected(err: unknown): boolean {
  const code = telegramErrorCode(err);
  return code === 401 || code === 404;
}

/** Seconds Telegram asked us to wait (429), if any. */
export function retryAfterSeconds(err: unknown): number | undefined {
  return err instanceof GrammyError ? err.parameters.retry_after : undefined;
}

/** True for an error of the connection (not an answer from Telegram). */
export function isNetworkError(err: unknown): boolean {
  return err instanceof HttpError;
}

/** A short, token-free description of any error, for logs. */
export function describeTelegramError(err: unknown): string {
  if (err instanceof GrammyError) return `${err.method}: ${err.error_code} ${err.description}`;
  if (err instanceof HttpError) {
    const inner = err.error instanceof Error ? err.error.message : String(err.error);
    return `network error (${inner})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * An update that must not be confirmed until it is handled (a payment): the
 * poller leaves its offset unconfirmed and tries again after a backoff.
 */
export class UpdateNotHandledError extends Error {
  constructor(cause: unknown) {
    super(`An update carrying money could not be handled: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'UpdateNotHandledError';
  }
}
