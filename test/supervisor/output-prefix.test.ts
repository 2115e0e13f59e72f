import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLineFormatter } from '../../src/supervisor/output-prefix.js';

test('pads names to one width', () => {
  const format = createLineFormatter(['dashboard', 'bot'], false);
  assert.equal(format('dashboard', 'listening'), 'dashboard | listening\n');
  assert.equal(format('bot', 'polling'), 'bot       | polling\n');
});

test('colours the prefix only: cyan dashboard, magenta bot, a palette for other names', () => {
  const format = createLineFormatter(['dashboard', 'bot', 'worker'], true);
  assert.equal(format('dashboard', 'x'), '\u001b[36mdashboard |\u001b[39m x\n');
  assert.equal(format('bot', 'x'), '\u001b[35mbot       |\u001b[39m x\n');
  assert.match(format('worker', 'x'), /^\u001b\[3\dmworker    \|\u001b\[39m x\n$/);
});
