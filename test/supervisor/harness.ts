/**
 * Test harness for the supervisor: runs `runSupervisor` over the fake CLI
 * fixture with an in-memory logger and output, and cleans every process up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { runSupervisor, type ChildSpec, type RestartPolicy } from '../../src/supervisor/index.js';

/** A parsed pino line. */
export interface LogRecord {
  level: number;
  msg: string;
  child?: string;
  childPid?: number;
  [key: string]: unknown;
}

/** A supervisor under test. */
export interface Harness {
  readonly result: Promise<number>;
  readonly logs: LogRecord[];
  /** Raw output lines, as written (prefix included, '\n' at the end). */
  readonly output: string[];
  abort(): void;
  /** Pids of every run of `name`, in start order, from the 'started' log lines. */
  pidsOf(name: string): number[];
  /** Log records of `name` whose message contains `text`. */
  logsOf(name: string, text: string): LogRecord[];
}

/** What a test may choose; the rest are fast test defaults. */
export interface HarnessOptions {
  children?: ChildSpec[];
  env?: Record<string, string>;
  shutdownGraceMs?: number;
  policy?: Partial<RestartPolicy>;
  color?: boolean;
}

/** Fast policy for tests: 50 ms backoff doubling to 200 ms, 5 crashes within 60 s. */
export const FAST_POLICY: Partial<RestartPolicy> = { initialBackoffMs: 50, maxBackoffMs: 200 };

/** The repository root (compiled tests live in dist/test/, fixtures stay in test/fixtures/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test file');
    dir = parent;
  }
  return dir;
}

/** Absolute path of a file in test/fixtures/. */
export function fixture(name: string): string {
  return join(repoRoot(), 'test', 'fixtures', name);
}

/** Dashboard first, then the bot once the dashboard is ready: the `paywall all` layout. */
export function fakeCliChildren(): ChildSpec[] {
  const cli = fixture('fake-cli.cjs');
  return [
    { name: 'dashboard', args: [cli, 'dashboard'] },
    { name: 'bot', args: [cli, 'bot'], waitForReadyOf: 'dashboard' },
  ];
}

/** Start a supervisor; `t.after` aborts it and SIGKILLs any child still alive. */
export function startSupervisor(t: TestContext, options: HarnessOptions = {}): Harness {
  const logs: LogRecord[] = [];
  const output: string[] = [];
  const controller = new AbortController();
  const shutdownGraceMs = options.shutdownGraceMs ?? 2000;
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  const result = runSupervisor({
    nodePath: process.execPath,
    children: options.children ?? fakeCliChildren(),
    env: { PATH: process.env.PATH, ...options.env },
    cwd: repoRoot(),
    shutdownGraceMs,
    logger,
    output: { write: (line) => void output.push(line) },
    color: options.color ?? false,
    signal: controller.signal,
    policy: { ...FAST_POLICY, ...options.policy },
  });
  const pidsOf = (name: string) =>
    logs.filter((r) => r.child === name && r.msg.startsWith('started ')).map((r) => r.childPid as number);
  t.after(async () => {
    controller.abort();
    await within(result, shutdownGraceMs + 3000).catch(() => undefined);
    for (const pid of logs.map((r) => r.childPid)) if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  return {
    result,
    logs,
    output,
    abort: () => controller.abort(),
    pidsOf,
    logsOf: (name, text) => logs.filter((r) => r.child === name && r.msg.includes(text)),
  };
}

/** Whether a process exists and is not a zombie (orphans are not always reaped here). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

/** Poll `probe` every 20 ms until it returns something truthy (an empty array is not); fail after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value && !(Array.isArray(value) && value.length === 0)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `promise`, or a rejection after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
