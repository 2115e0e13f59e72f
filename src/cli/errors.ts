/**
 * Errors that end a command with a chosen exit code. Only `main.ts` turns them
 * into `process.exit`; everything else throws them.
 */

/** Exit codes of SPEC section 8. */
export const EXIT = Object.freeze({
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  LOCKED: 3,
  TOKEN_REJECTED: 4,
  CONFLICT: 5,
});

/** An error that ends the command with `code`: one line of what, one line of how to fix it. */
export class ExitError extends Error {
  readonly code: number;
  readonly hint: string | undefined;
  constructor(code: number, message: string, hint?: string) {
    super(message);
    this.name = 'ExitError';
    this.code = code;
    this.hint = hint;
  }
}

/** Bad usage or configuration: exit 2. */
export class UsageError extends ExitError {
  constructor(message: string, hint?: string) {
    super(EXIT.USAGE, message, hint);
    this.name = 'UsageError';
  }
}
