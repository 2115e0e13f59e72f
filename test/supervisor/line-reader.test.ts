import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { forEachLine } from '../../src/supervisor/line-reader.js';

test('splits chunks into lines, CRLF included, and flushes the unfinished last line at the end', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  const done = forEachLine(stream, (line) => lines.push(line));
  stream.write('one\ntw');
  stream.write('o\r\nthree');
  stream.end();
  await done;
  assert.deepEqual(lines, ['one', 'two', 'three']);
});

test('resolves at once without a stream', async () => {
  await forEachLine(undefined, () => assert.fail('no line expected'));
});
