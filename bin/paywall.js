#!/usr/bin/env node
// Thin shim: the CLI is written in TypeScript and compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('paywall is not built yet.\nRun `npm install` (or `npm run build`) in the paywall folder first.\n');
  process.exit(1);
}
await import(entry.href);
