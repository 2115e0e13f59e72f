/**
 * Reads a request's raw body up to a size limit, failing as soon as it is
 * passed (what is left unread is discarded by Node after the answer). The
 * callers turn the two failures into their own answers: JSON for the API,
 * an HTML page for forms.
 */
import type { IncomingMessage } from 'node:http';

/** Why a body was not read. */
export class BodyReadError extends Error {
  /** `too-large`: over the limit; `unreadable`: the stream failed (the client went away). */
  readonly reason: 'too-large' | 'unreadable';
  constructor(reason: 'too-large' | 'unreadable', message: string) {
    super(message);
    this.name = 'BodyReadError';
    this.reason = reason;
  }
}

/** The body as one Buffer; rejects with BodyReadError. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new BodyReadError('too-large', `The body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(Buffer.concat(chunks)); };
    const onError = (err: Error) => { cleanup(); reject(new BodyReadError('unreadable', err.message)); };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
