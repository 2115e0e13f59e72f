/**
 * Spawning the real `paywall` CLI as a child process, with its output captured
 * and bounded waits on what it prints and on its exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { CLI_ENTRY } from './paths.js';

/** A running `paywall` process. */
export interface PaywallProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly args: readonly string[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the output so far once `pattern` appears in stdout or stderr. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the process has exited. */
  waitForExit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: boolean;
  kill(signal?: NodeJS.Signals): void;
}

/** Options for spawnPaywall. */
export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  ipc?: boolean;
}

/** The environment a test process gets: no secrets of the developer's shell, JSON logs. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Starts `node bin/paywall.js ...args`; killed in t.after if still running. */
export function spawnPaywall(t: TestContext | undefined, args: string[], options: SpawnOptions = {}): PaywallProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env),
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const waiters = new Set<() => void>();
  const notify = () => { for (const w of waiters) w(); };
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); notify(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); notify(); });
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => { exitInfo = { code, signal }; notify(); resolve(exitInfo); });
  });
  t?.after(async () => {
    if (!exitInfo) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  });
  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) { cleanup(); resolve(value); }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`${what()}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`)); }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); waiters.delete(attempt); };
      waiters.add(attempt);
      attempt();
    });
  return {
    child,
    pid: child.pid!,
    args,
    stdout: () => out,
    stderr: () => err,
    get exited() { return exitInfo !== undefined; },
    kill: (signal = 'SIGTERM') => { child.kill(signal); },
    waitForOutput: (pattern, timeoutMs = 10_000) =>
      waitFor(() => (pattern.test(out) || pattern.test(err) ? out + err : undefined), timeoutMs,
        () => `Timed out after ${timeoutMs} ms waiting for ${pattern} from paywall ${args.join(' ')}${exitInfo ? ` (exited ${JSON.stringify(exitInfo)})` : ''}`),
    waitForExit: (timeoutMs = 10_000) =>
      waitFor(() => exitInfo, timeoutMs, () => `paywall ${args.join(' ')} did not exit within ${timeoutMs} ms`),
  };
}

/** Runs a short command to its end. */
export async function runPaywall(args: string[], options: SpawnOptions = {}, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnPaywall(undefined, args, options);
  try {
    const { code } = await proc.waitForExit(timeoutMs);
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    if (!proc.exited) proc.kill('SIGKILL');
  }
}

/** Fails when any captured text contains the secret. */
export function assertNoSecret(secret: string, ...texts: string[]): void {
  for (const text of texts) {
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) {
      throw new Error('A secret (the bot token) appeared in captured output');
    }
  }
}
