/** Bad configuration exits 2 naming the variable, from every long-running command; --help everywhere. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPaywall } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeToken } from '../helpers/tokens.js';

const BAD = [
  { env: { PORT: 'abc' }, names: /PORT/ },
  { env: { DATABASE_URL: 'ftp://x' }, names: /DATABASE_URL.*ftp/ },
  { env: { PAYWALL_SWEEP_INTERVAL: '5 weeks' }, names: /PAYWALL_SWEEP_INTERVAL/ },
];

describe('bad configuration', () => {
  for (const command of ['bot', 'dashboard', 'all']) {
    for (const bad of BAD) {
      test(`${command} with ${JSON.stringify(bad.env)} exits 2 naming it, with an example`, async (t) => {
        const dir = tempDir(t);
        const { token } = makeToken();
        const result = await runPaywall([command], { cwd: dir, env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', ...bad.env } });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, bad.names);
        assert.match(result.stderr, /like this: /);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
        assert.ok(!result.stderr.includes(token));
      });
    }
  }

  test('a flag overrides the environment, and its error names the flag', async (t) => {
    const dir = tempDir(t);
    const result = await runPaywall(['dashboard', '--port', 'nope'], { cwd: dir, env: { PORT: '5000' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port/);
  });

  test('.env in the working directory is read, below the environment', async (t) => {
    const dir = tempDir(t);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/.env`, 'PAYWALL_GRACE=never\n');
    const fromFile = await runPaywall(['plans', 'list'], { cwd: dir });
    assert.equal(fromFile.code, 2);
    assert.match(fromFile.stderr, /PAYWALL_GRACE \(in \.env\)/);
    const overridden = await runPaywall(['plans', 'list'], { cwd: dir, env: { PAYWALL_GRACE: '1h' } });
    assert.equal(overridden.code, 0, overridden.stderr);
  });

  test('a malformed token exits 2 without printing it', async (t) => {
    const dir = tempDir(t);
    const result = await runPaywall(['bot'], { cwd: dir, env: { TELEGRAM_BOT_TOKEN: 'not-a-token-secret-value' } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /TELEGRAM_BOT_TOKEN is malformed/);
    assert.ok(!result.stderr.includes('not-a-token-secret-value'));
  });
});

describe('--help', () => {
  const commands = [[], ['bot'], ['dashboard'], ['all'], ['plans'], ['plans', 'list'], ['plans', 'add'], ['plans', 'edit'], ['plans', 'disable'], ['plans', 'enable'], ['db'], ['db', 'migrate'], ['db', 'seed'], ['db', 'backup'], ['doctor'], ['reset-password']];
  for (const args of commands) {
    test(`paywall ${args.join(' ')} --help`, async (t) => {
      const dir = tempDir(t);
      const result = await runPaywall([...args, '--help'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Usage: paywall/);
    });
  }

  test('an unknown option exits 2', async (t) => {
    const result = await runPaywall(['bot', '--frobnicate'], { cwd: tempDir(t) });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option/);
  });
});
