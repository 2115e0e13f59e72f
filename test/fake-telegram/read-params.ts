/**
 * Reads the parameters of a Bot API request the ways Telegram accepts them:
 * the query string, then a JSON, urlencoded or multipart body (body wins).
 * Values from forms stay strings; params.ts coerces them per parameter.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest } from './api-error.js';

/** Parameters of one request, by name. */
export type Params = Record<string, unknown>;

/** A file part of a multipart body, recorded without its bytes. */
export interface UploadedFile {
  file: true;
  filename: string;
  contentType: string | undefined;
  size: number;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Collects the body, refusing anything larger than Telegram would take. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Query-string parameters, then body parameters on top. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) return { ...params, ...parseJsonBody(body) };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type.startsWith('multipart/form-data')) return { ...params, ...parseMultipart(body, type) };
  return params;
}

function parseJsonBody(body: Buffer): Params {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON encoded request body");
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('JSON encoded request body must be an object');
  }
  return value as Params;
}

/** A small multipart/form-data reader: text fields as strings, files as UploadedFile. */
export function parseMultipart(body: Buffer, contentType: string): Params {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw badRequest('multipart boundary is missing');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const params: Params = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length + 2; // skip the CRLF after the delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart, next - 2); // drop the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        params[name] = filename === undefined
          ? content.toString('utf8')
          : ({ file: true, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], size: content.length } satisfies UploadedFile);
      }
    }
    start = next;
  }
  return params;
}
