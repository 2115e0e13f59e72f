/** jsonBody: size limit (413), UTF-8 and JSON errors (400), compressed bodies (415), empty bodies. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Koa from 'koa';
import { parseJsonText, jsonBody } from '../../../src/dashboard/middleware/json-body.js';
import { errorsMiddleware } from '../../../src/dashboard/middleware/errors.js';
import { silentLogger } from '../../helpers/databases.js';

describe('parseJsonText', () => {
  test('parses JSON, treats an empty or blank body as undefined, strips a BOM', () => {
    assert.deepEqual(parseJsonText(Buffer.from('{"a":1}')), { a: 1 });
    assert.equal(parseJsonText(Buffer.alloc(0)), undefined);
    assert.equal(parseJsonText(Buffer.from('  \n')), undefined);
    assert.deepEqual(parseJsonText(Buffer.from('\uFEFF[1]')), [1]);
  });

  test('invalid UTF-8 and invalid JSON are 400s saying so', () => {
    assert.throws(() => parseJsonText(Buffer.from([0x7b, 0xff, 0x7d])), { status: 400, message: /not valid UTF-8/ });
    assert.throws(() => parseJsonText(Buffer.from('{"a":')), { status: 400, message: /not valid JSON/ });
    assert.throws(() => parseJsonText(Buffer.from("{'a':1}")), { status: 400, message: /not valid JSON/ });
    assert.throws(() => parseJsonText(Buffer.from('{"a":"x\\u0000"}')), { status: 400, message: /NUL character/ });
    assert.throws(() => parseJsonText(Buffer.from('{"\\u0000":1}')), { status: 400, message: /NUL character/ });
  });
});

describe('jsonBody over HTTP', () => {
  let server: Server;
  let url: string;
  before(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(errorsMiddleware(silentLogger()));
    app.use(jsonBody({ limit: 1024 }));
    app.use((ctx) => { ctx.body = { got: ctx.request.body ?? null }; });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string | Uint8Array, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers });

  test('a JSON body arrives parsed, whatever the Content-Type', async () => {
    const res = await post('{"x":[1,2]}', { 'content-type': 'text/plain' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { got: { x: [1, 2] } });
  });

  test('over the limit is a 413, declared or streamed', async () => {
    const big = `"${'a'.repeat(2000)}"`;
    const declared = await post(big, { 'content-type': 'application/json' });
    assert.equal(declared.status, 413);
    assert.match(((await declared.json()) as { error: string }).error, /larger than 1 kB/);
    const chunked = await fetch(url, {
      method: 'POST',
      body: new ReadableStream({ start(c) { for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('a'.repeat(500))); c.close(); } }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
  });

  test('bad JSON is a 400; a gzip body is a 415; GET bodies are not read', async () => {
    const bad = await post('{nope');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /not valid JSON/);
    const gz = await post('{}', { 'content-encoding': 'gzip' });
    assert.equal(gz.status, 415);
    const get = await fetch(url);
    assert.deepEqual(await get.json(), { got: null });
  });
});
