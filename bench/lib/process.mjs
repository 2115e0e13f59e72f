/**
 * Child processes for benchmarks: `paywall` (or any node script) with every
 * output line kept with the time it arrived, so that "ready" moments can be
 * measured, and with bounded waits and a kill that the scope always runs.
 */
import { spawn } from 'node:child_process';
import { CLI, ROOT } from './common.mjs';

/** The environment a benchmark process gets: no secrets of the caller's shell, JSON logs on stderr. */
export function baseEnv(extra = {}) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = String(value);
  return env;
}

/**
 * Starts `node <script> ...args`; the scope SIGKILLs it if it still runs at
 * the end. `lines` holds { stream, text, at } with `at` from performance.now().
 */
export function startNode(scope, script, args, { env = {}, cwd = ROOT, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = new Set();
  let exit;
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      exit = { code, signal, at: performance.now() };
      for (const waiter of [...waiters]) waiter();
      resolve(exit);
    });
  });
  const reader = (stream) => {
    let rest = '';
    return (chunk) => {
      const at = performance.now();
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop();
      for (const text of parts) lines.push({ stream, text, at });
      if (parts.length > 0) for (const waiter of [...waiters]) waiter();
    };
  };
  child.stdout.on('data', reader('stdout'));
  child.stderr.on('data', reader('stderr'));
  scope.defer(async () => {
    if (exit) return;
    child.kill('SIGKILL');
    await exited;
  });

  const tail = (n = 30) => lines.slice(-n).map((l) => l.text).join('\n');
  return {
    child,
    pid: child.pid,
    lines,
    exited,
    get exit() {
      return exit;
    },
    output: () => lines.map((l) => l.text).join('\n'),
    tail,
    /**
     * The first line matching `pattern` at index ≥ from (default 0); rejects
     * after timeoutMs, or when the process exits first, with its last lines.
     */
    waitForLine(pattern, timeoutMs, from = 0) {
      return new Promise((resolve, reject) => {
        let index = from;
        const check = () => {
          for (; index < lines.length; index++) {
            if (pattern.test(lines[index].text)) {
              done();
              return resolve({ ...lines[index], index });
            }
          }
          if (exit) {
            done();
            reject(new Error(`${script} ${args[0] ?? ''} exited (${JSON.stringify({ code: exit.code, signal: exit.signal })}) before printing ${pattern}; last lines:\n${tail()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} from ${script} ${args[0] ?? ''}; last lines:\n${tail()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    /** Sends `signal` and waits for the exit; SIGKILL if it takes longer than timeoutMs. */
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (exit) return exit;
      child.kill(signal);
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      const first = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (first === 'late') {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`${script} ${args[0] ?? ''} did not exit within ${timeoutMs} ms of ${signal}; killed`);
      }
      return first;
    },
  };
}

/** Starts `paywall <args>` (bin/paywall.js). */
export function startPaywall(scope, args, opts = {}) {
  return startNode(scope, CLI, args, opts);
}

/** Runs `paywall <args>` to its end (bounded); resolves with code, stdout and stderr. */
export async function runPaywall(scope, args, opts = {}, timeoutMs = 60_000) {
  const proc = startPaywall(scope, args, opts);
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`paywall ${args.join(' ')} did not finish within ${timeoutMs} ms; last lines:\n${proc.tail()}`)), timeoutMs);
  });
  try {
    const exit = await Promise.race([proc.exited, late]);
    const pick = (stream) => proc.lines.filter((l) => l.stream === stream).map((l) => l.text).join('\n');
    return { code: exit.code, stdout: pick('stdout'), stderr: pick('stderr') };
  } finally {
    clearTimeout(timer);
    if (!proc.exit) proc.child.kill('SIGKILL');
  }
}

/** `paywall <args>` that must exit 0; returns its stdout, trimmed. */
export async function paywallOk(scope, args, opts = {}, timeoutMs = 60_000) {
  const r = await runPaywall(scope, args, opts, timeoutMs);
  if (r.code !== 0) throw new Error(`paywall ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  return r.stdout.trim();
}
