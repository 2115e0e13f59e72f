import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnChild } from '../../src/supervisor/child-process.js';
import type { ReadyMessage } from '../../src/supervisor/types.js';
import { fixture, isAlive, repoRoot, within } from './harness.js';

function spawnFakeCli(mode: string, lines: string[], ready: ReadyMessage[]) {
  return spawnChild({
    nodePath: process.execPath,
    args: [fixture('fake-cli.cjs'), 'bot'],
    env: { FAKE_BOT: mode },
    cwd: repoRoot(),
    onLine: (line) => lines.push(line),
    onReady: (message) => ready.push(message),
  });
}

test('reports the ready message, every line, and the exit after SIGTERM', async (t) => {
  const lines: string[] = [];
  const ready: ReadyMessage[] = [];
  const run = spawnFakeCli('ready', lines, ready);
  t.after(() => void run.kill('SIGKILL'));
  for (let i = 0; i < 250 && ready.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(ready, [{ type: 'ready', port: 0 }]);
  run.kill('SIGTERM');
  assert.deepEqual(await within(run.exited, 5000), { exitCode: 0, signal: undefined });
  assert.deepEqual(lines, ['bot says hello', 'bot complains on stderr', 'bot got SIGTERM']);
  assert.equal(isAlive(run.pid!), false);
});

test('reports an exit code with the partial last line flushed first', async () => {
  const lines: string[] = [];
  const run = spawnFakeCli('exit4', lines, []);
  assert.deepEqual(await within(run.exited, 5000), { exitCode: 4, signal: undefined });
  assert.ok(lines.includes('last words'));
});

test('reports a failed start with neither code nor signal', async () => {
  const run = spawnChild({
    nodePath: '/nonexistent/node',
    args: [],
    env: {},
    cwd: repoRoot(),
    onLine: () => undefined,
    onReady: () => undefined,
  });
  const exit = await within(run.exited, 5000);
  assert.equal(run.pid, undefined);
  assert.equal(exit.exitCode, undefined);
  assert.equal(exit.signal, undefined);
  assert.match(exit.error ?? '', /ENOENT/);
});
