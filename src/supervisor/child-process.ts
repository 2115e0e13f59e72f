/**
 * One run of one child: `node <args>` spawned directly (no shell, no npm, so
 * signals reach it), with an IPC channel for its ready message and its
 * stdout and stderr read line by line.
 */
import { execa } from 'execa';
import { forEachLine } from './line-reader.js';
import type { ChildExit, ReadyMessage } from './types.js';

/** What it takes to spawn one run. */
export interface SpawnChildOptions {
  nodePath: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Every line the child writes, stdout and stderr alike. */
  onLine(line: string): void;
  /** The child's first ready message of this run. */
  onReady(message: ReadyMessage): void;
}

/** A running child process. */
export interface ChildRun {
  /** Undefined when the process could not be spawned at all. */
  readonly pid: number | undefined;
  /** Resolves once the process has exited and its output is flushed. */
  readonly exited: Promise<ChildExit>;
  /** Send a signal; false when the process is already gone. */
  kill(signal: NodeJS.Signals): boolean;
}

/** Spawn one run of a child. */
export function spawnChild(options: SpawnChildOptions): ChildRun {
  const subprocess = execa(options.nodePath, options.args, {
    ipc: true,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: options.env,
    extendEnv: false,
    cwd: options.cwd,
    reject: false,
    cleanup: true,
    // The supervisor times SIGKILL itself (shutdownGraceMs), not execa.
    forceKillAfterDelay: false,
  });
  const output = Promise.all([
    forEachLine(subprocess.stdout, options.onLine),
    forEachLine(subprocess.stderr, options.onLine),
  ]);
  if (subprocess.pid !== undefined) void watchForReady(() => subprocess.getEachMessage(), options.onReady);
  const exited = Promise.all([subprocess, output]).then(([result]): ChildExit => {
    if (result.exitCode !== undefined || result.signal !== undefined) {
      return { exitCode: result.exitCode, signal: result.signal };
    }
    return { error: result.shortMessage };
  });
  return { pid: subprocess.pid, exited, kill: (signal) => subprocess.kill(signal) };
}

/**
 * Reports the first ready message. Keeps reading until the channel closes:
 * leaving the loop early would disconnect the child, which then exits.
 */
async function watchForReady(
  messages: () => AsyncIterable<unknown>,
  onReady: (message: ReadyMessage) => void,
): Promise<void> {
  let reported = false;
  try {
    for await (const message of messages()) {
      if (!reported && isReadyMessage(message)) {
        reported = true;
        onReady(message);
      }
    }
  } catch {
    // A broken channel only means no ready message; the exit is handled elsewhere.
  }
}

/** Whether an IPC message is `{ type: 'ready', ... }`. */
function isReadyMessage(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}
