/** Paths of the checkout, from compiled tests (dist/test/…) or sources alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test helpers');
    dir = parent;
  }
  return dir;
}

/** The repository root. */
export const REPO_ROOT = findRoot();
/** The CLI entry operators run. */
export const CLI_ENTRY = join(REPO_ROOT, 'bin', 'paywall.js');
/** Fixture scripts (kept as sources, not compiled). */
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
