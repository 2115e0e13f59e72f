/** The Bot API client's fetch (undici): what grammY reads of it, on a loopback server. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { Bot, GrammyError, HttpError } from 'grammy';
import { createTelegramFetch } from '../../src/bot/http-client.js';

async function server(t: TestContext, handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const srv = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { srv.closeAllConnections(); srv.close(() => resolve()); }));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

test('http client: grammY calls go out as JSON and come back parsed, error answers included', async (t) => {
  const seen: Array<{ url: string; type: string | undefined; body: unknown }> = [];
  const root = await server(t, (req, body, res) => {
    seen.push({ url: req.url!, type: req.headers['content-type'], body: JSON.parse(body) });
    if (req.url!.endsWith('/sendMessage')) return json(res, 200, { ok: true, result: { message_id: 5, date: 0, chat: { id: 1, type: 'private', first_name: 'x' }, text: 'é' } });
    json(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
  });
  const api = new Bot('123:abc', { client: { apiRoot: root, fetch: createTelegramFetch() } }).api;
  const sent = await api.sendMessage(1, 'é "quoted"');
  assert.equal(sent.message_id, 5);
  await assert.rejects(api.getChat(1), (err: unknown) => err instanceof GrammyError && err.error_code === 429 && err.parameters.retry_after === 3);
  assert.equal(seen[0]!.url, '/bot123:abc/sendMessage');
  assert.match(seen[0]!.type ?? '', /application\/json/);
  assert.deepEqual(seen[0]!.body, { chat_id: 1, text: 'é "quoted"' });
});

test('http client: a body that is not JSON, a dropped connection and an abort are HttpErrors', async (t) => {
  const root = await server(t, (req, _body, res) => {
    if (req.url!.endsWith('/getMe')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html>Bad Gateway</html>');
    }
    if (req.url!.endsWith('/getChat')) return req.socket.destroy();
    // getUpdates: never answers; the caller aborts.
  });
  const api = new Bot('123:abc', { client: { apiRoot: root, fetch: createTelegramFetch() } }).api;
  await assert.rejects(api.getMe(), HttpError);
  await assert.rejects(api.getChat(1), HttpError);
  const controller = new AbortController();
  const polling = api.getUpdates({ timeout: 30 }, controller.signal as Parameters<typeof api.getUpdates>[1]);
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  await assert.rejects(polling, HttpError);
  assert.ok(Date.now() - started < 5_000, 'the abort ends the call at once');
});
