/**
 * createLogger: pino to stderr, pretty on a terminal, JSON otherwise, with every
 * line passed through the redactor so that no secret reaches a log.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { createRedactor } from '../config/redact.js';

export type { Logger } from 'pino';

/** What the logger needs from the configuration. */
export interface LoggerOptions {
  logLevel: string;
  logFormat: 'pretty' | 'json';
  secrets: readonly string[];
  /** Where lines go; defaults to stderr (fd 2). */
  write?: (line: string) => void;
  /** A name bound to every line, e.g. the command. */
  name?: string;
}

/** A logger whose output cannot carry the configured secrets. */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor(options.secrets);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      write(redact(chunk.toString('utf8')));
      done();
    },
  });
  const destination =
    options.logFormat === 'pretty'
      ? pretty({ destination: sink, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true })
      : sink;
  return pino(
    {
      level: options.logLevel,
      base: options.name ? { cmd: options.name } : null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['token', '*.token', 'password', '*.password', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
