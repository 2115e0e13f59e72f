/**
 * Reads an HTML form's body (application/x-www-form-urlencoded) into
 * `ctx.request.body` as `Record<string, string | string[]>` (a name given
 * twice becomes an array), at most 64 kB; refusals are HTML pages: 413 over the
 * limit, 415 for another type or a compressed body, 400 for a NUL character.
 * Written over URLSearchParams (no body-parser package is installed).
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Middleware } from 'koa';
import { answerHtmlProblem } from './html-problem.js';
import { BodyReadError, readBody } from './read-body.js';

/** A parsed form: each field's value, or values when it was sent more than once. */
export type FormFields = Record<string, string | string[]>;

/** The default size limit of a form body. */
export const FORM_BODY_LIMIT = 64 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPE = 'application/x-www-form-urlencoded';

class BodyRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads the raw body, failing as soon as it passes `limit`. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyReadError && err.reason === 'too-large') throw new BodyRefused(413, `The form is larger than ${Math.round(limit / 1024)} kB.`);
    throw new BodyRefused(400, 'The form could not be read.');
  }
}

/** Parses urlencoded text; a name given more than once collects its values in order. */
export function parseFormText(text: string): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name.includes('\0') || value.includes('\0')) throw new BodyRefused(400, 'The form holds a NUL character, which no field accepts.');
    const previous = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const next = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    // defineProperty, so that a field named __proto__ is a field like any other.
    Object.defineProperty(fields, name, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

async function readForm(ctx: Context, limit: number): Promise<FormFields> {
  const encoding = (ctx.get('Content-Encoding') || 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new BodyRefused(415, `Content-Encoding ${encoding} is not supported: send the form uncompressed.`);
  const type = ctx.get('Content-Type');
  if (type && ctx.is(FORM_TYPE) === false) throw new BodyRefused(415, `Forms must be sent as ${FORM_TYPE}.`);
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyRefused(413, `The form is larger than ${Math.round(limit / 1024)} kB.`);
  return parseFormText((await readLimited(ctx.req, limit)).toString('utf8'));
}

/** Koa middleware parsing the form body of POST, PUT, PATCH and DELETE requests. */
export function formBody(options: { limit?: number } = {}): Middleware {
  const limit = options.limit ?? FORM_BODY_LIMIT;
  return async (ctx, next) => {
    if (!WITH_BODY.has(ctx.method)) return next();
    try {
      ctx.request.body = await readForm(ctx, limit);
    } catch (err) {
      if (!(err instanceof BodyRefused)) throw err;
      answerHtmlProblem(ctx, err.status, { title: 'Form refused', message: err.message });
      return;
    }
    return next();
  };
}

/** The parsed form of this request (empty when there is none). */
export function formOf(ctx: Context): FormFields {
  const body = ctx.request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormFields) : {};
}
