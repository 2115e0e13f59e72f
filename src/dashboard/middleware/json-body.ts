/**
 * Reads a JSON request body into `ctx.request.body`, at most `limit` bytes
 * (64 kB by default; more is a 413). The body is parsed as JSON whatever its
 * Content-Type says (`curl -d` sends JSON as a form); an empty body is
 * `undefined`; invalid UTF-8 or JSON, or a NUL character in any string, is a
 * 400 saying so (and, when the body was declared as something other than JSON,
 * that the API reads JSON only); a compressed body is a 415.
 */
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { ApiError, badRequest } from '../api/http-errors.js';
import { BodyReadError, readBody } from './read-body.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body (set by jsonBody). */
    body?: unknown;
  }
}

/** The default size limit of a request body. */
export const JSON_BODY_LIMIT = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function tooLarge(limit: number): ApiError {
  return new ApiError(413, `The request body is larger than ${Math.round(limit / 1024)} kB.`);
}

/** Reads the raw body, failing fast past `limit`. */
async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyReadError && err.reason === 'too-large') throw tooLarge(limit);
    throw badRequest(`The request body could not be read: ${(err as Error).message}`);
  }
}

/** Parses `raw` as UTF-8 JSON; throws a 400 naming the problem. */
export function parseJsonText(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw badRequest('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return undefined;
  let nul = false;
  let parsed: unknown;
  try {
    // PostgreSQL cannot store U+0000 in text: refuse it here rather than fail in the database.
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) nul = true;
      return value;
    });
  } catch (err) {
    throw badRequest(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (nul) throw badRequest('The request body holds a NUL character (\\u0000), which no field accepts.');
  return parsed;
}

/** A JSON error on a body declared as something else (a form, XML) says so: the API reads JSON only. */
function withTypeHint(err: unknown, contentType: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!(err instanceof ApiError) || type === '' || type === 'application/json' || type.endsWith('+json')) return err;
  return badRequest(`${err.message} The API reads JSON only (this body was sent as ${type.slice(0, 100)}): send JSON with Content-Type: application/json.`);
}

/** Koa middleware parsing JSON bodies of POST, PUT, PATCH and DELETE requests. */
export function jsonBody(options: { limit?: number } = {}): Middleware {
  const limit = options.limit ?? JSON_BODY_LIMIT;
  return async (ctx, next) => {
    if (!WITH_BODY.has(ctx.method)) return next();
    const encoding = (ctx.get('Content-Encoding') || 'identity').trim().toLowerCase();
    if (encoding !== 'identity') throw new ApiError(415, `Content-Encoding ${encoding} is not supported: send the JSON body uncompressed.`);
    const declared = Number(ctx.get('Content-Length'));
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
    const raw = await readRaw(ctx.req, limit);
    try {
      ctx.request.body = parseJsonText(raw);
    } catch (err) {
      throw withTypeHint(err, ctx.get('Content-Type'));
    }
    return next();
  };
}
