/**
 * Bot API errors as Telegram words them: a method handler throws one and the
 * server answers `{ ok: false, error_code, description, parameters }` with the
 * same HTTP status.
 */
import type { ApiResponseBody } from './types.js';

/** Extra data Telegram attaches to some errors. */
export interface ErrorParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** An error answer of the Bot API. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ErrorParameters,
  ) {
    super(description);
    this.name = 'ApiError';
  }

  /** The JSON body Telegram sends for this error. */
  toBody(): ApiResponseBody {
    const body: ApiResponseBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.parameters) body.parameters = { ...this.parameters };
    return body;
  }
}

/** 400 "Bad Request: <detail>". */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`);
}

/** 403 "Forbidden: <detail>". */
export function forbidden(detail: string): ApiError {
  return new ApiError(403, `Forbidden: ${detail}`);
}

/** 409 "Conflict: <detail>". */
export function conflict(detail: string): ApiError {
  return new ApiError(409, `Conflict: ${detail}`);
}

/** 429 with parameters.retry_after, worded as Telegram does. */
export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
}

/** 401 for an unknown or revoked token. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized');
}

/** 404 for a method the fake does not know. */
export function methodNotFound(): ApiError {
  return new ApiError(404, 'Not Found: method not found');
}

/** Telegram's usual description for an error code, for failNext without one. */
export function defaultDescription(errorCode: number, retryAfter?: number): string {
  switch (errorCode) {
    case 400: return 'Bad Request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'Not Found';
    case 409: return 'Conflict';
    case 429: return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 502: return 'Bad Gateway';
    default: return errorCode >= 500 ? 'Internal Server Error' : 'Error';
  }
}
