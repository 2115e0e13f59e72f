/** The form body parser: fields, repeated fields, odd names, and its refusals as HTML pages. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import Koa from 'koa';
import { formBody, parseFormText } from '../../../src/dashboard/middleware/form-body.js';

describe('parseFormText', () => {
  test('decodes fields; a repeated name collects its values; __proto__ is a field like any other', () => {
    const fields = parseFormText('a=1&b=x+y&b=%C3%A9&c=&__proto__=p&constructor=k');
    assert.deepEqual({ ...fields }, { a: '1', b: ['x y', 'é'], c: '', ['__proto__']: 'p', constructor: 'k' });
    assert.equal(Object.getPrototypeOf(fields), Object.prototype);
    assert.deepEqual(parseFormText(''), {});
  });
});

async function post(body: string | Buffer, headers: Record<string, string>, limit?: number) {
  const app = new Koa();
  app.use(formBody(limit === undefined ? {} : { limit }));
  app.use((ctx) => { ctx.body = { body: ctx.request.body ?? null }; });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { method: 'POST', headers, body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('formBody', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  test('parses a urlencoded body into ctx.request.body', async () => {
    const res = await post('x=1&y=2&y=3', form);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { body: { x: '1', y: ['2', '3'] } });
  });

  test('over the limit: 413; another type or compression: 415; a NUL: 400 — as HTML pages', async () => {
    const cases: [number, string | Buffer, Record<string, string>, number?][] = [
      [413, `x=${'a'.repeat(2_000)}`, form, 1_024],
      [413, Buffer.alloc(70 * 1024, 'a'), form],
      [415, '{"x":1}', { 'content-type': 'application/json' }],
      [415, '--b\r\n', { 'content-type': 'multipart/form-data; boundary=b' }],
      [415, 'x=1', { ...form, 'content-encoding': 'gzip' }],
      [400, 'x=a%00b', form],
    ];
    for (const [status, body, headers, limit] of cases) {
      const res = await post(body, headers, limit);
      assert.equal(res.status, status, `${JSON.stringify(headers)} ${String(body).slice(0, 20)}`);
      assert.match(res.type, /text\/html/);
      assert.match(res.text, /Form refused/);
    }
  });
});
