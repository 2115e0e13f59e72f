/** The real CLI: `paywall db seed --users 1000` on a SQLite file, then a second run refused without --force. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPaywall } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('db seed seeds 1,000 users with progress on stderr and nothing on stdout; a second run without --force exits 2', async (t) => {
  const dir = tempDir(t);
  const env = { DATABASE_URL: `sqlite:${join(dir, 'paywall.db')}` };
  const first = await runPaywall(['db', 'seed', '--users', '1000'], { cwd: dir, env }, 60_000);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '');
  assert.match(first.stderr, /seeded \d+\/1000 users \(\d+%\), \d+ rows\/s/);
  assert.match(first.stderr, /seeded 1000\/1000 users \(100%\)/);
  assert.match(first.stderr, /seeded 1000 users, \d+ plans, \d+ orders, \d+ subscriptions, \d+ payments/);

  const second = await runPaywall(['db', 'seed', '--users', '1000'], { cwd: dir, env }, 60_000);
  assert.equal(second.code, 2, second.stderr);
  assert.equal(second.stdout, '');
  assert.match(second.stderr, /already has data \(1000 users/);
  assert.match(second.stderr, /--force/);
});
