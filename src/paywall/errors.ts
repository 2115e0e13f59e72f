/**
 * Domain errors: a string `code` that callers branch on, a human message, and
 * data fields for the edges (CLI, bot, JSON API) to build their own replies.
 */

/** Every code a PaywallError can carry. Later features add theirs here. */
export type PaywallErrorCode =
  | 'PLAN_INVALID'
  | 'PLAN_NOT_FOUND'
  | 'PLAN_UNAVAILABLE'
  | 'USER_NOT_FOUND'
  | 'PAYMENT_NOT_FOUND'
  | 'ALREADY_REFUNDED'
  | 'REFUND_QUEUED'
  | 'NO_DEFAULT_CHAT'
  | 'DURATION_INVALID'
  | 'BROADCAST_INVALID'
  | 'BROADCAST_NOT_FOUND';

/** Data attached to a PaywallError: which field broke which rule, the offending value. */
export interface PaywallErrorData {
  /** The input field at fault, e.g. `price` or `chatIds`. */
  readonly field?: string;
  /** A short, stable name for the rule that was broken, e.g. `recurring-needs-30d`. */
  readonly rule?: string;
  readonly [key: string]: unknown;
}

/** An expected failure of a domain operation (bad input, unknown id, refused state change). */
export class PaywallError extends Error {
  readonly code: PaywallErrorCode;
  readonly data: PaywallErrorData;
  constructor(code: PaywallErrorCode, message: string, data: PaywallErrorData = {}) {
    super(message);
    this.name = 'PaywallError';
    this.code = code;
    this.data = Object.freeze({ ...data });
  }
}

/** True when `err` is a PaywallError, optionally with the given code. */
export function isPaywallError(err: unknown, code?: PaywallErrorCode): err is PaywallError {
  return err instanceof PaywallError && (code === undefined || err.code === code);
}
