/**
 * What every benchmark shares: command-line options, a cleanup scope that
 * kills what a benchmark started (also on failure or Ctrl-C), bounded waits,
 * latency statistics, peak RSS from /proc, and the one JSON result line that
 * bench/run-all.mjs collects. Benchmarks import the built code from dist/
 * (`npm run build` first); they are never run by `npm test`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `paywall` CLI entry. */
export const CLI = fileURLToPath(new URL('../../bin/paywall.js', import.meta.url));
/** The prefix of the result line on stdout. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Imports a module of the build (dist/…), or says how to build it. */
export async function importDist(path) {
  const url = new URL(`../../dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`dist/${path} is missing: run \`npm run build\` first (npm run bench does it for you).`);
  }
  return import(url.href);
}

/** Parses `--name value` options; `spec` maps names to { type, default }. Unknown options are an error. */
export function options(spec) {
  const { values } = parseArgs({ options: spec, strict: true, allowPositionals: false });
  return values;
}

/** A whole number option ≥ min, or an error naming it. */
export function intOption(values, name, min = 1) {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, got ${JSON.stringify(values[name])}`);
  return n;
}

/** A progress note on stderr (stdout carries only the result line). */
export function note(bench, message) {
  process.stderr.write(`[${bench}] ${message}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `intervalMs` until it returns a truthy value; throws after `timeoutMs` naming `what`. */
export async function waitUntil(check, timeoutMs, what, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * A stack of clean-up steps run in reverse order by close(); also run (best
 * effort, once) when the process is interrupted, so nothing started is left.
 */
export function createScope() {
  const steps = [];
  let closing;
  const close = () => {
    closing ??= (async () => {
      while (steps.length > 0) {
        const step = steps.pop();
        try {
          await step();
        } catch (err) {
          process.stderr.write(`clean-up step failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    })();
    return closing;
  };
  const onSignal = (signal) => {
    process.stderr.write(`\n${signal}: cleaning up\n`);
    void close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    defer(step) {
      steps.push(step);
    },
    close,
  };
}

/**
 * Runs a benchmark: `body(scope)` returns its result object, printed as the
 * result line; the scope is closed whatever happens; a failure exits 1.
 */
export async function runBench(name, body) {
  const scope = createScope();
  let failed = false;
  try {
    const result = await body(scope);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ bench: name, ...result })}\n`);
  } catch (err) {
    failed = true;
    process.stderr.write(`[${name}] FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  } finally {
    await scope.close();
  }
  // Lingering handles (a pool, a keep-alive socket) must not keep a finished benchmark alive.
  process.exit(failed ? 1 : 0);
}

/** The value at quantile q (0–1) of ascending `sorted`, nearest rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** p50, p90, p99 and max of a list of milliseconds, rounded to 0.1 ms. */
export function latencyStats(values) {
  const sorted = Float64Array.from(values).sort();
  const r = (x) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: r(quantile(sorted, 0.5)),
    p90: r(quantile(sorted, 0.9)),
    p99: r(quantile(sorted, 0.99)),
    max: r(sorted[sorted.length - 1] ?? NaN),
  };
}

/** The median of a list of numbers. */
export function median(values) {
  return quantile(Float64Array.from(values).sort(), 0.5);
}

/** Peak resident set size (VmHWM) of a live process, in MB; undefined once it is gone. */
export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a live process has used so far, from /proc (Linux clock ticks of 10 ms). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * One row of the results table. `goal` is a text ("≥ 1.5×"); `met` is true,
 * false, or undefined for a figure without a goal.
 */
export function figure(name, value, unit, goal, met) {
  return { figure: name, value, unit, goal: goal ?? '', met };
}

/** Rounds to `digits` decimals. */
export function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
