/**
 * Runs every benchmark in order (issue 6's numbering), collects each one's
 * result line, and prints one markdown table — benchmark, figure, value,
 * goal, met? — with the machine it ran on; writes it to
 * bench/results/latest.md and the raw results to bench/results/latest.json.
 * `npm run bench` builds first and runs this.
 *
 *   node bench/run-all.mjs [--quick] [--pg | --db postgres] [--only updates,payments,…] [--wait-idle 300]
 *
 * --quick    small sizes (5,000 updates, 100,000 seeded users, 500 recipients)
 * --pg       also run each benchmark on PostgreSQL (PAYWALL_BENCH_PG_URL); same as --db sqlite,postgres
 * --db LIST  the databases to run on, comma-separated (default sqlite)
 * --wait-idle N  wait up to N s for the 1-minute load average to drop below 1.5 first
 * --only LIST     run only these; the other rows of the existing results file are
 *                 kept (same sizes only), so one benchmark can be measured again
 *                 after a change
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { options, RESULT_PREFIX, round, ROOT, sleep } from './lib/common.mjs';

const args = options({
  quick: { type: 'boolean', default: false },
  pg: { type: 'boolean', default: false },
  db: { type: 'string', default: 'sqlite' },
  only: { type: 'string' },
  'wait-idle': { type: 'string', default: '0' },
  out: { type: 'string', default: fileURLToPath(new URL('./results/latest.md', import.meta.url)) },
});
const quick = args.quick;
const SIZES = quick
  ? { updates: 5000, users: 100_000, recipients: 500, runs: 3, seconds: 10 }
  : { updates: 20_000, users: 1_000_000, recipients: 2000, runs: 5, seconds: 20 };
const BENCH_TIMEOUT_MS = 90 * 60_000;
const kinds = args.pg ? ['sqlite', 'postgres'] : args.db.split(',').map((s) => s.trim()).filter(Boolean);
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : undefined;

/** The benchmarks, in order; `argsFor` may use results gathered so far. */
const BENCHES = [
  { name: 'updates', title: '1. Update throughput', argsFor: (db) => ['--updates', SIZES.updates, '--db', db] },
  {
    name: 'payments',
    title: '2. Payment latency under load',
    argsFor: (db, done) => {
      const measured = done.find((r) => r.bench === 'updates' && r.db === db)?.paywall?.perSecond;
      return ['--seconds', SIZES.seconds, '--db', db, ...(measured ? ['--rate', Math.max(1, Math.round(measured * 0.8))] : [])];
    },
  },
  { name: 'dashboard', title: '3. Dashboard at scale', argsFor: (db) => ['--users', SIZES.users, '--db', db] },
  { name: 'broadcast', title: '4. Broadcast at the limit', argsFor: (db) => ['--recipients', SIZES.recipients, '--db', db] },
  { name: 'supervisor', title: '5. Supervisor', argsFor: (db) => ['--runs', SIZES.runs, '--db', db] },
];

/** Runs one benchmark script; resolves with its parsed result, or a failure record. */
function runOne(name, benchArgs) {
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  return new Promise((resolve) => {
    const started = Date.now();
    const load = loadavg()[0];
    const child = spawn(process.execPath, [script, ...benchArgs.map(String)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    const timer = setTimeout(() => {
      process.stderr.write(`[run-all] ${name} ran past ${BENCH_TIMEOUT_MS / 60_000} min: stopping it\n`);
      child.kill('SIGTERM');
    }, BENCH_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      const meta = {
        ranAt: new Date(started).toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        loadBefore: round(load, 2),
        loadAfter: round(loadavg()[0], 2),
      };
      if (code === 0 && line) return resolve({ ...JSON.parse(line.slice(RESULT_PREFIX.length)), ...meta });
      resolve({ bench: name, failed: true, error: `exited ${code ?? signal} without a result (see its output above)`, ...meta });
    });
  });
}

async function waitIdle(maxSeconds) {
  const deadline = Date.now() + maxSeconds * 1000;
  while (loadavg()[0] >= 1.5 && Date.now() < deadline) {
    process.stderr.write(`[run-all] load average ${loadavg()[0].toFixed(2)}: waiting for a quieter machine\n`);
    await sleep(15_000);
  }
}

function machine() {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    ramGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    kernel: release(),
  };
}

const metText = (met) => (met === true ? 'yes' : met === false ? '**no**' : '');
const cell = (v) => String(v ?? '').replace(/\|/g, '\\|');

const minute = (iso) => iso.slice(0, 16).replace('T', ' ');

/** The results as markdown. */
function markdown(results, host) {
  const times = results.map((r) => r.ranAt).sort();
  const span = times.length > 0 ? `${minute(times[0])}–${minute(times[times.length - 1]).slice(11)} UTC` : 'nothing run';
  const lines = [
    `Run ${span}${quick ? ' (quick sizes)' : ''}: ${host.cpu}, ${host.cores} cores, ${host.ramGb} GB RAM, Node.js ${host.node}, Linux ${host.kernel}.`,
    '',
    '| benchmark | figure | value | goal | met? |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) {
    const title = `${BENCHES.find((b) => b.name === r.bench)?.title ?? r.bench}${r.db ? ` (${r.db})` : ''}`;
    if (r.failed) {
      lines.push(`| ${cell(title)} | did not complete | ${cell(r.error)} | | **no** |`);
      continue;
    }
    for (const f of r.figures) lines.push(`| ${cell(title)} | ${cell(f.figure)} | ${cell(f.value)}${f.unit ? ` ${cell(f.unit)}` : ''} | ${cell(f.goal)} | ${metText(f.met)} |`);
  }
  const loads = results.map((r) => `${r.bench}${r.db ? `/${r.db}` : ''} at ${minute(r.ranAt).slice(11)}: ${r.loadBefore}→${r.loadAfter}`).join(', ');
  lines.push('', `1-minute load average before→after each benchmark (other work on the machine skews figures): ${loads}.`);
  return `${lines.join('\n')}\n`;
}

/** Rows of the existing results file that this run does not replace (only with --only, same sizes). */
function keptResults(ran) {
  const file = args.out.replace(/\.md$/, '.json');
  if (!only || !existsSync(file)) return [];
  const previous = JSON.parse(readFileSync(file, 'utf8'));
  if (previous.quick !== quick) {
    process.stderr.write(`[run-all] ${file} holds ${previous.quick ? 'quick' : 'full'}-size results: not merging them\n`);
    return [];
  }
  return previous.results.filter((r) => !ran.some((n) => n.bench === r.bench && n.db === r.db));
}

const order = (r) => BENCHES.findIndex((b) => b.name === r.bench) * 10 + Math.max(0, ['sqlite', 'postgres'].indexOf(r.db));

const startedAt = new Date();
if (Number(args['wait-idle']) > 0) await waitIdle(Number(args['wait-idle']));
const ran = [];
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  for (const db of kinds) {
    process.stderr.write(`\n[run-all] ${bench.title} (${db})\n`);
    ran.push({ ...(await runOne(bench.name, bench.argsFor(db, ran))), db });
  }
}
const results = [...keptResults(ran), ...ran].sort((a, b) => order(a) - order(b));
const host = machine();
const md = markdown(results, host);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(args.out, md);
writeFileSync(args.out.replace(/\.md$/, '.json'), `${JSON.stringify({ startedAt, quick, machine: host, results }, null, 2)}\n`);
process.stdout.write(`\n${md}`);
process.exitCode = ran.some((r) => r.failed) ? 1 : 0;
