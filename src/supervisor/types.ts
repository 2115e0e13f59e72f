/**
 * The supervisor's public types: what to run, how to restart it, and how one
 * run of a child ended.
 */
import type { Logger } from 'pino';

/** One child process of `paywall all`, e.g. the dashboard or the bot. */
export interface ChildSpec {
  /** Short name used in logs and as the output prefix: 'dashboard' | 'bot'. */
  name: string;
  /** argv after the node binary: [cliEntry, 'bot', '--delete-webhook', ...]. */
  args: string[];
  /**
   * Start this child only once the named (earlier) child has reported ready
   * over IPC, or has been given up for good (it will not be restarted).
   */
  waitForReadyOf?: string;
}

/** When and how often a crashed child is started again. */
export interface RestartPolicy {
  /** Delay before the first restart; doubles after each crash. */
  initialBackoffMs: number;
  /** The doubling stops here. */
  maxBackoffMs: number;
  /** A run at least this long resets the backoff to its initial value. */
  stableAfterMs: number;
  /** The window in which crashes are counted. */
  crashWindowMs: number;
  /** This many crashes within the window and the child is given up. */
  maxCrashesInWindow: number;
}

/** Where prefixed child lines go (the CLI passes process.stderr). */
export interface LineSink {
  write(line: string): void;
}

/** Everything `runSupervisor` needs; nothing is read from the process. */
export interface SupervisorOptions {
  /** The node binary, normally process.execPath. */
  nodePath: string;
  /** The children, in start order. */
  children: ChildSpec[];
  /** The full environment children get (NODE_OPTIONS included); nothing else is inherited. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** How long children get after SIGTERM before SIGKILL. */
  shutdownGraceMs: number;
  /** The supervisor's own messages. */
  logger: Logger;
  /** Each call receives one whole line, prefixed and ending in '\n'. */
  output: LineSink;
  /** Colour the prefixes (a TTY). */
  color: boolean;
  /** Aborted on SIGINT/SIGTERM: graceful shutdown. */
  signal: AbortSignal;
  /** For tests: override parts of the SPEC restart policy. */
  policy?: Partial<RestartPolicy>;
}

/** How one run of a child ended, as the operating system reported it. */
export interface ChildExit {
  /** The exit code, when the process exited by itself. */
  exitCode?: number;
  /** The signal that killed it, e.g. 'SIGKILL'. */
  signal?: string;
  /** Why it could not be started at all (no code and no signal). */
  error?: string;
}

/** What a child sends over IPC once it serves: `{ type: 'ready', port? }`. */
export interface ReadyMessage {
  type: 'ready';
  port?: number;
}
