/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums self time by function and
 * by module (a package under node_modules, a file of dist/, or node's own
 * internals), so a benchmark can say where a process spends its time.
 * Usage alone: node bench/lib/cpu-profile.mjs FILE.cpuprofile
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function moduleOf(url) {
  if (!url) return '(native/V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return dist[1];
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

/** Self time (ms) by function and by module, each sorted, with the total. */
export function summarizeProfile(file, top = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map();
  const modules = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byNode.get(id);
    total += us;
    const name = callFrame.functionName || '(anonymous)';
    const key = callFrame.url ? `${name} ${moduleOf(callFrame.url)}:${callFrame.lineNumber + 1}` : name;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const mod = callFrame.url ? moduleOf(callFrame.url) : name.startsWith('(') ? name : '(native/V8)';
    modules.set(mod, (modules.get(mod) ?? 0) + us);
  }
  const rank = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rank(fns), modules: rank(modules) };
}

/** The summary as text lines. */
export function formatProfile(summary) {
  const lines = [`total sampled: ${summary.totalMs} ms`, 'self time by module:'];
  for (const m of summary.modules) lines.push(`  ${String(m.pct).padStart(5)}%  ${String(m.ms).padStart(6)} ms  ${m.name}`);
  lines.push('self time by function:');
  for (const f of summary.functions) lines.push(`  ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.name}`);
  return lines.join('\n');
}

/**
 * Summarises the profiles a process wrote into `dir` (--cpu-prof-dir), prints
 * them on stderr under `label`, and returns the summaries.
 */
export function printProfile(dir, label, top = 15) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) {
    process.stderr.write(`[${label}] no CPU profile was written (did the process exit cleanly?)\n`);
    return undefined;
  }
  return files.map((file) => {
    const summary = summarizeProfile(join(dir, file), top);
    process.stderr.write(`[${label}] CPU profile ${file}:\n${formatProfile(summary)}\n`);
    return { file, ...summary };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/lib/cpu-profile.mjs FILE.cpuprofile\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(file, 25))}\n`);
}
