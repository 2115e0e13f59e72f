/**
 * One named child across its restarts: waits for its turn, runs, is
 * restarted after a crash with backoff, and is given up for good after an
 * exit code that means "do not retry" or a crash loop.
 */
import type { Logger } from 'pino';
import { spawnChild, type ChildRun } from './child-process.js';
import { describeExit, judgeExit } from './exit-verdict.js';
import type { LineFormatter } from './output-prefix.js';
import { createCrashTracker, type CrashTracker } from './restart-policy.js';
import type { ChildExit, ChildSpec, LineSink, RestartPolicy } from './types.js';

/** waiting (not started yet) → running ⇄ restart-pending → stopped (for good). */
export type ChildState = 'waiting' | 'running' | 'restart-pending' | 'stopped';

/** What the supervisor hears from a managed child. */
export interface ManagedChildHooks {
  /** A run of the child reported ready over IPC. */
  onReady(name: string): void;
  /** The child reached 'stopped': it will not run again. */
  onSettled(name: string): void;
}

/** What it takes to manage one child. */
export interface ManagedChildOptions {
  spec: ChildSpec;
  nodePath: string;
  env: Record<string, string | undefined>;
  cwd: string;
  policy: RestartPolicy;
  logger: Logger;
  output: LineSink;
  format: LineFormatter;
  hooks: ManagedChildHooks;
}

/** One child under supervision. */
export interface ManagedChild {
  readonly name: string;
  readonly spec: ChildSpec;
  readonly state: ChildState;
  /** Start the first run; does nothing unless the child is waiting. */
  start(): void;
  /** Shut down: cancel a pending start or restart, SIGTERM the run; resolves once no run is left. */
  stop(): Promise<void>;
  /** SIGKILL the current run, if any. */
  forceKill(): void;
}

/** Manage one child; nothing is spawned before `start()`. */
export function createManagedChild(options: ManagedChildOptions): ManagedChild {
  const { spec, hooks } = options;
  const name = spec.name;
  const log = options.logger.child({ child: name });
  const tracker = createCrashTracker(options.policy);
  let state: ChildState = 'waiting';
  let stopping = false;
  let run: ChildRun | undefined;
  let runEnded: Promise<void> = Promise.resolve();
  let restartTimer: NodeJS.Timeout | undefined;

  function launch(): void {
    state = 'running';
    const startedAt = Date.now();
    const current = spawnChild({
      nodePath: options.nodePath,
      args: spec.args,
      env: options.env,
      cwd: options.cwd,
      onLine: (line) => options.output.write(options.format(name, line)),
      onReady: (message) => {
        log.info({ childPid: current.pid, port: message.port }, `${name} is ready`);
        hooks.onReady(name);
      },
    });
    run = current;
    if (current.pid !== undefined) log.info({ childPid: current.pid }, `started ${name} (pid ${current.pid})`);
    runEnded = current.exited.then((exit) => afterExit(current, exit, Date.now() - startedAt));
  }

  function afterExit(ended: ChildRun, exit: ChildExit, ranForMs: number): void {
    run = undefined;
    const pid = ended.pid ?? 'none';
    const fields = { childPid: ended.pid, exitCode: exit.exitCode, signal: exit.signal };
    log.info(fields, `${name} (pid ${pid}) exited with ${describeExit(exit)}`);
    if (stopping) return settle();
    const step = decideNextStep(name, exit, ranForMs, tracker, options.policy);
    log[step.level](step.fields, step.message);
    if (step.restartInMs === undefined) return settle();
    state = 'restart-pending';
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      launch();
    }, step.restartInMs);
  }

  function settle(): void {
    state = 'stopped';
    hooks.onSettled(name);
  }

  return {
    name,
    spec,
    get state() {
      return state;
    },
    start() {
      if (state === 'waiting' && !stopping) launch();
    },
    stop() {
      if (stopping) return runEnded;
      stopping = true;
      clearTimeout(restartTimer);
      if (state === 'waiting' || state === 'restart-pending') settle();
      if (run) {
        log.info({ childPid: run.pid }, `sending SIGTERM to ${name} (pid ${run.pid})`);
        run.kill('SIGTERM');
      }
      return runEnded;
    },
    forceKill() {
      if (!run) return;
      log.warn({ childPid: run.pid }, `sending SIGKILL to ${name} (pid ${run.pid})`);
      run.kill('SIGKILL');
    },
  };
}

/** What happens after an exit outside shutdown, and the log line saying so. */
interface NextStep {
  /** Undefined: the child is given up for good. */
  restartInMs?: number;
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** Restart with backoff after a crash; give up after a final exit code or a crash loop. */
function decideNextStep(
  name: string,
  exit: ChildExit,
  ranForMs: number,
  tracker: CrashTracker,
  policy: RestartPolicy,
): NextStep {
  const verdict = judgeExit(exit);
  if (verdict.kind === 'final') {
    const level = exit.exitCode === 0 ? 'warn' : 'error';
    return { level, fields: { exitCode: exit.exitCode }, message: `${name} will not be restarted: ${verdict.reason}` };
  }
  const decision = tracker.recordCrash(ranForMs, Date.now());
  const fields = { crashesInWindow: decision.crashesInWindow };
  if (decision.action === 'give-up') {
    const message =
      `${name} crashed ${decision.crashesInWindow} times within ${formatDuration(policy.crashWindowMs)} ` +
      `(last time ${verdict.reason}); not restarting it any more`;
    return { level: 'error', fields, message };
  }
  const message = `${name} crashed (${verdict.reason}); restarting it in ${formatDuration(decision.delayMs)}`;
  return { restartInMs: decision.delayMs, level: 'info', fields: { ...fields, delayMs: decision.delayMs }, message };
}

/** '500 ms', '30 s'. */
function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
