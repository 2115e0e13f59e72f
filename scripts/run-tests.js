#!/usr/bin/env node
// Runs the compiled test files with node's built-in runner.
// Node 20's `node --test` expands no globs, so this script lists the files itself.
// Usage: node scripts/run-tests.js [substring ...]   (only files whose path contains one of them)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testRoot = join(root, 'dist', 'test');

function list(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(list(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
let files;
try {
  files = list(testRoot).sort();
} catch {
  console.error('No compiled tests in dist/test: run `npm run build` first (npm test does it for you).');
  process.exit(1);
}
if (filters.length) files = files.filter((f) => filters.some((s) => relative(root, f).includes(s)));
if (files.length === 0) {
  console.error(`No test file matches ${filters.join(', ')}.`);
  process.exit(1);
}
const concurrency = process.env.PAYWALL_TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
