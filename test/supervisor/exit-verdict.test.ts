import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeExit, judgeExit } from '../../src/supervisor/exit-verdict.js';

test('exit codes 0, 2, 3, 4 and 5 are final, each with its reason in words', () => {
  assert.match(judgeExit({ exitCode: 0 }).reason, /stopped by itself/);
  assert.match(judgeExit({ exitCode: 2 }).reason, /bad configuration or usage/);
  assert.match(judgeExit({ exitCode: 3 }).reason, /another instance holds the lock/);
  assert.match(judgeExit({ exitCode: 4 }).reason, /Telegram rejected the bot token/);
  assert.match(judgeExit({ exitCode: 5 }).reason, /another consumer has this bot token.*409.*webhook/);
  for (const exitCode of [0, 2, 3, 4, 5]) assert.equal(judgeExit({ exitCode }).kind, 'final');
});

test('any other code, a signal, or a failed start is a crash', () => {
  for (const exitCode of [1, 6, 127, 255]) assert.equal(judgeExit({ exitCode }).kind, 'crashed');
  assert.deepEqual(judgeExit({ signal: 'SIGKILL' }), { kind: 'crashed', reason: 'it was killed by SIGKILL' });
  assert.equal(judgeExit({ error: 'spawn ENOENT' }).kind, 'crashed');
});

test('describes an exit for the log', () => {
  assert.equal(describeExit({ exitCode: 1 }), 'code 1');
  assert.equal(describeExit({ signal: 'SIGTERM' }), 'signal SIGTERM');
});
