/**
 * Errors the API throws for bad requests, in the shape the errors middleware
 * reads (`status`, `expose`): 4xx messages reach the client as `{error}`.
 */

/** A client error whose message says what is wrong. */
export class ApiError extends Error {
  readonly status: number;
  readonly expose = true;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** 400 with `message`. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}

/** 404 with `message`. */
export function notFound(message: string): ApiError {
  return new ApiError(404, message);
}

/** The database cannot be reached: the API answers 503 until it can. `cause` keeps the failure that showed it, for the log. */
export class BackendUnavailableError extends Error {
  readonly status = 503;
  constructor(options?: { cause?: unknown }) {
    super('The database is unreachable; try again shortly.', options);
    this.name = 'BackendUnavailableError';
  }
}
