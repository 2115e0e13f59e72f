/**
 * Splits a child's output stream into lines, flushing a partial final line
 * when the stream ends.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Calls `onLine` for every line of `stream`; resolves once the stream has ended or failed. */
export function forEachLine(stream: Readable | null | undefined, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', onLine);
    lines.once('close', () => resolve());
    // A broken pipe must not crash the supervisor; the exit code tells the story.
    stream.once('error', () => lines.close());
  });
}
