/**
 * Hundreds of malformed API requests, shared by the in-process and the
 * end-to-end sweeps: each must get a 4xx with a JSON `{error}` string, never a
 * 5xx, never a stack trace. They are sent with node:http, byte for byte (no URL
 * normalisation, any method, chunked or lying bodies), each on its own
 * connection. The sweep expects plan 1 to exist and user 5 and plan 987654321
 * not to.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';

/** One request of the sweep. */
export interface MalformedRequest {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sent in these pieces with chunked transfer encoding instead of with a Content-Length. */
  chunks?: readonly (string | Buffer)[];
}

/** The sweep has at least this many distinct requests. */
export const MIN_MALFORMED_REQUESTS = 200;

const JSON_TYPE = { 'content-type': 'application/json' };
const A = (n: number, c = 'x') => c.repeat(n);

const BAD_JSON = [
  '{', '{"a":}', 'nul', '[1,2', '"\\u12"', '{"title":"x",}', "{'a':1}", '\u0000', '{"a":1}{"b":2}', '{"a" 1}', 'NaN', 'Infinity', '-', '{"a":01}',
  '{"a":.5}', '{"a":"\\x41"}', '{"a":"tab\there"}', '\uFEFF\uFEFF{}', '{"a":tru}', 'undefined', '{"a":1e}', ']', `${A(3000, '[')}${A(3000, ']')}`,
];
const WRONG_BODIES = ['[]', '"text"', '7', 'null', 'true', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}'];
const GRANTS = [
  '{}', '{"duration":30}', '{"duration":null}', '{"duration":"-1d"}', '{"duration":"1.5d"}', '{"duration":"0d"}', '{"duration":"1e9d"}',
  '{"duration":"99999999999999999999d"}', '{"duration":"36501d"}', '{"duration":"7d","planId":"1"}', '{"duration":"7d","planId":-1}',
  '{"duration":"7d","planId":0}', '{"duration":"7d","planId":1.5}', '{"duration":"7d","planId":1e400}', '{"duration":"7d","planId":9007199254740993}',
  '{"duration":"7d","planId":9007199254740991}', '{"duration":"7d","planId":2147483648}', '{"duration":"7d","planId":987654321}', '{"duration":"7d","extra":true}',
  `{"duration":"${A(40, '9')}d"}`, '{"duration":"lifetime","planId":{}}', '{"duration":"30D"}', '{"duration":"+30d"}', '{"duration":"30 d"}', '{"duration":"d"}',
  '{"duration":""}', '{"duration":"lifetimes"}', '{"duration":"1w"}', '{"duration":"0x1Ed"}', '{"duration":"\u0663d"}', '{"duration":["7d"]}',
  '{"duration":{"d":7}}', '{"duration":"9007199254740993s"}', '{"duration":"7d","planId":null,"planId":"x"}', '{"duration":"7d","planId":true}',
  `{"duration":"${A(33, '1')}"}`, '{"Duration":"7d"}', '{"duration":"7d","userId":6}',
];
const PLANS = [
  '{}', '{"title":5,"price":10,"duration":"30d"}', '{"title":"t","price":-1,"duration":"30d"}', '{"title":"t","price":0.5,"duration":"30d"}',
  '{"title":"t","price":1e308,"duration":"30d"}', '{"title":"t","price":"10","duration":"30d"}', '{"title":"t","price":10,"duration":"999999999999d"}',
  '{"title":"t","price":10,"duration":"30d","chatIds":[1.5]}', '{"title":"t","price":10,"duration":"30d","chatIds":[99999999999999999999]}',
  '{"title":"t","price":10,"duration":"30d","chatIds":{"a":1}}', '{"title":"t","price":10,"duration":"30d","recurring":"true"}',
  `{"title":"${A(200)}","price":10,"duration":"30d"}`, '{"title":"t","price":10,"duration":"30d","__proto__":{"x":1}}',
  '{"title":"t","price":10,"duration":"30d","description":["a"]}', '{"title":"t","price":0,"duration":"30d"}', '{"title":"t","price":-0,"duration":"30d"}',
  '{"title":"t","price":100001,"duration":"30d"}', '{"title":"t","price":1e21,"duration":"30d"}', '{"title":"t","price":9007199254740993,"duration":"30d"}',
  '{"title":"t","price":null,"duration":"30d"}', '{"title":"t","price":[10],"duration":"30d"}', '{"title":"t","price":true,"duration":"30d"}',
  '{"title":"","price":10,"duration":"30d"}', '{"title":"   ","price":10,"duration":"30d"}', '{"title":["t"],"price":10,"duration":"30d"}',
  `{"title":"t","price":10,"duration":"30d","description":"${A(1025)}"}`, '{"title":"t","price":10,"duration":"30"}', '{"title":"t","price":10,"duration":30}',
  '{"title":"t","price":10,"duration":"7d","recurring":true}', '{"title":"t","price":10,"duration":"30d","recurring":1}', '{"title":"t","price":10,"duration":"30d","chatIds":[0]}',
  '{"title":"t","price":10,"duration":"30d","chatIds":["abc"]}', '{"title":"t","price":10,"duration":"30d","chatIds":[null]}', '{"title":"t","price":10,"duration":"30d","chatIds":[[1]]}',
  '{"title":"t","price":10,"duration":"30d","chatIds":[1e400]}', `{"title":"t","price":10,"duration":"30d","chatIds":[${Array.from({ length: 101 }, (_, i) => -1001 - i).join(',')}]}`,
  '{"title":"t","price":10,"duration":"30d","chatIds":"-100123"}', '{"title":"t","price":10,"duration":"30d","active":"no"}', '{"title":"t","price":10,"duration":"30d","id":5}',
  '{"title":"t","price":10,"duration":"30d","createdAt":"2026-01-01"}', '{"title":"t","price":10,"duration":"-30d"}', '{"title":"t","price":10,"duration":"36501d"}',
];
const PATCHES = [
  '{"price":-5}', '{"active":"yes"}', '{"duration":"0s"}', '{"title":null}', '{"id":2}', '{"chatIds":[]}', '{"price":0.1}', '{"price":1e400}',
  '{"recurring":true,"duration":"7d"}', '{"duration":"lifetime","recurring":true}', '{"chatIds":[0]}', '{"active":1}', '{"title":""}', '{"unknown":1}',
];
const BROADCASTS = [
  '{}', '{"text":"hi"}', '{"text":"hi","audience":"nobody"}', '{"text":5,"audience":"all"}', '{"text":"","audience":"all"}', '{"text":"<b>x","audience":"all"}',
  '{"text":"<a href=\\"x\\">y","audience":"all"}', '{"text":"&bogus;","audience":"all"}', '{"text":"hi","audience":["all"]}', '{"text":"hi","audience":"ALL"}',
  '{"text":"hi","audience":null}', '{"text":"hi","audience":1}', '{"text":null,"audience":"all"}', '{"text":["hi"],"audience":"all"}',
  '{"text":"<script>x</script>","audience":"all"}', '{"text":"<b><i>x</b></i>","audience":"all"}', `{"text":"${A(32_769)}","audience":"all"}`,
  '{"text":"hi","audience":"all","extra":1}', '{"audience":"all"}',
];
const LIST_QUERIES = [
  'limit=0', 'limit=10000', 'limit=501', 'limit=-1', 'limit=%2B5', 'limit=%205', 'limit=5%20', 'limit=0x10', 'limit=1e1', 'limit=1.0', 'limit=1.5', 'limit=Infinity',
  'limit=NaN', `limit=${A(20, '9')}`, `limit=1${A(400, '0')}`, 'limit=%D9%A1', 'limit=1&limit=2', 'limit=5&limit=5', 'page=0', 'page=-1', 'page=1.5', 'page=1e3',
  'page=abc', `page=${A(17, '9')}`, 'page=1000000000001', 'page=%00', 'page=1&page=2', 'limit=%', 'limit=%zz',
];
const USER_QUERIES = [
  'status=nope', 'status=ACTIVE', 'status=active%00', 'status=active,expired', 'status=active&status=expired', 'status=active&status=active', `q=${A(101)}`,
  `q=${A(9000)}`, 'q=%00', 'q=a%00b', 'q=a&q=b', 'q=%', 'q=%Z', 'q=%E0%A4%A', 'q=%FF', 'q=%C0%AF', 'q=%ED%A0%80', 'q=caf%E9', 'q%FF=1&q=a%', 'status=%E2%82',
];
const PAYMENT_QUERIES = [
  'format=pdf', 'format=CSV', 'format=csv&format=csv', 'format=csv&format=json', 'status=void', 'status=PAID', 'status=paid&status=refunded', 'userId=x', 'userId=0',
  'userId=-5', 'userId=1.5', `userId=${A(17, '9')}`, 'userId=1&userId=2', 'format=%FF', 'userId=%', 'format=csv&limit=0', 'format=csv&page=-1',
];
const PATHS = [
  '/api/users/abc', '/api/users/0', '/api/users/-1', '/api/users/1.5', '/api/users/1e3', '/api/users/0x10', '/api/users/+1', '/api/users/%201', '/api/users/1%00',
  '/api/users/%D9%A1', '/api/users/99999999999999999999', '/api/users/%FF', '/api/users/%', '/api/users/%ZZ', '/api/users/987654321', '/api/users/9007199254740991',
  '/api/plans/abc', '/api/plans/987654321', '/api/plans/2147483648', '/api/plans/9007199254740991', '/api/plans/%E0%A4%A', '/api/broadcasts/abc', '/api/broadcasts/0',
  '/api/broadcasts/987654321', '/api/broadcasts/2147483647', '/api/broadcasts/9007199254740991', '/api/nothing-here', '/api/users/5/nothing', '/api//users',
  '/api/../etc/passwd', '/api/users/../../etc/passwd', '/api/payments/x', `/api/users/${A(4000, '9')}`, `/api/${A(4000, 'a/')}`,
  `/api/plans/${A(12_000, '1')}`, `/api/users?${A(2000, 'x=1&')}limit=0`,
];
const NOT_ALLOWED: [string, string][] = [
  ['DELETE', '/api/stats'], ['POST', '/api/stats'], ['PATCH', '/api/stats'], ['PUT', '/api/users'], ['DELETE', '/api/users/1'], ['PUT', '/api/users/1'],
  ['PATCH', '/api/users/1'], ['GET', '/api/users/1/grant'], ['PUT', '/api/users/1/grant'], ['GET', '/api/users/1/revoke'], ['DELETE', '/api/plans/1'],
  ['PUT', '/api/plans/1'], ['POST', '/api/plans/1'], ['DELETE', '/api/plans'], ['POST', '/api/payments'], ['PUT', '/api/payments'], ['GET', '/api/payments/x/refund'],
  ['DELETE', '/api/payments/x/refund'], ['GET', '/api/broadcasts'], ['DELETE', '/api/broadcasts/1'], ['PATCH', '/api/broadcasts/1'], ['POST', '/api/bot'],
  ['TRACE', '/api/stats'], ['PROPFIND', '/api/users'], ['MKCOL', '/api/plans'], ['LOCK', '/api/plans/1'], ['PURGE', '/api/bot'],
];
const CONTENT: MalformedRequest[] = [
  { method: 'POST', path: '/api/plans', body: 'title=t&price=10&duration=30d', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { method: 'POST', path: '/api/plans', body: '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nt\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b' } },
  { method: 'POST', path: '/api/plans', body: '<plan><title>t</title></plan>', headers: { 'content-type': 'application/xml' } },
  { method: 'POST', path: '/api/users/5/grant', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), headers: { 'content-type': 'image/png' } },
  { method: 'POST', path: '/api/users/5/grant', body: Buffer.from('\uFEFF{"duration":"7d"}', 'utf16le'), headers: { 'content-type': 'application/json; charset=utf-16' } },
  { method: 'POST', path: '/api/plans', body: Buffer.from('{"title":"caf\xe9","price":10,"duration":"30d"}', 'latin1'), headers: { 'content-type': 'application/json; charset=latin1' } },
  { method: 'POST', path: '/api/broadcasts', body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), headers: JSON_TYPE },
  { method: 'POST', path: '/api/users/5/grant', body: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), headers: JSON_TYPE },
  ...['gzip', 'br', 'deflate', 'compress', 'identity, gzip', 'x-custom'].map((encoding) => ({ method: 'POST', path: '/api/plans', body: '{}', headers: { ...JSON_TYPE, 'content-encoding': encoding } })),
  { method: 'POST', path: '/api/users/5/revoke', body: '{' },
  { method: 'POST', path: '/api/payments/unknown-charge/refund' },
  { method: 'POST', path: '/api/payments/unknown-charge/refund', body: '{"force":true}', headers: JSON_TYPE },
  { method: 'POST', path: `/api/payments/${A(300)}/refund` },
  { method: 'POST', path: `/api/payments/${A(8000)}/refund` },
  { method: 'POST', path: '/api/users/5/revoke' },
  { method: 'POST', path: '/api/users/987654321/revoke' },
  { method: 'POST', path: '/api/payments/%00/refund' },
  { method: 'POST', path: '/api/payments/a%2Fb/refund' },
  { method: 'PATCH', path: '/api/plans/987654321', body: '{"price":10}', headers: JSON_TYPE },
  { method: 'PATCH', path: '/api/plans/2147483648', body: '{"price":10}', headers: JSON_TYPE },
  { method: 'POST', path: '/api/plans', body: '{"title":"a\\u0000b","price":5,"duration":"30d"}', headers: JSON_TYPE },
  { method: 'POST', path: '/api/broadcasts', body: '{"text":"a\\u0000b","audience":"all"}', headers: JSON_TYPE },
  { method: 'POST', path: '/api/users/5/grant', body: '{"duration":"7d","x\\u0000":1}', headers: JSON_TYPE },
  { method: 'POST', path: '/api/users/5/grant', body: '{"duration":"7d"}', headers: { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' } },
  { method: 'PATCH', path: '/api/plans/1', body: '{"price":10}', headers: { ...JSON_TYPE, 'sec-fetch-site': 'same-site' } },
];
const OVERSIZED: MalformedRequest[] = [
  { method: 'POST', path: '/api/plans', body: `{"title":"${A(70_000)}"}`, headers: JSON_TYPE },
  { method: 'POST', path: '/api/broadcasts', body: `{"text":"${A(65_537)}","audience":"all"}`, headers: JSON_TYPE },
  { method: 'POST', path: '/api/users/5/grant', body: `{"duration":"7d","pad":"${A(1_048_576)}"}`, headers: JSON_TYPE },
  { method: 'POST', path: '/api/plans', chunks: Array.from({ length: 40 }, () => A(4096, ' ')), headers: JSON_TYPE },
  { method: 'POST', path: '/api/users/5/grant', body: '{"duration":"7d"}', headers: { ...JSON_TYPE, 'content-length': '999999999' } },
  { method: 'PATCH', path: '/api/plans/1', chunks: ['{"price":', A(70_000, '1'), '}'], headers: JSON_TYPE },
];
const BAD_AUTH = ['Basic', 'Basic !!!', 'Basic YWRtaW4=', `Basic ${Buffer.from('admin:').toString('base64')}`, 'Bearer abc.def.ghi', 'Digest username="admin"', `Basic ${A(3000, 'QUFB')}`, 'basic'];

/** The sweep: bad JSON, wrong types, bad numbers, unknown ids, oversized bodies, bad queries, bad content types, bad percent-encoding, repeated parameters, long paths, wrong methods, bad credentials. */
export function malformedRequests(): MalformedRequest[] {
  const post = (path: string, method = 'POST') => (body: string): MalformedRequest => ({ method, path, body, headers: JSON_TYPE });
  return [
    ...[...BAD_JSON, ...WRONG_BODIES].flatMap((b) => [post('/api/plans')(b), post('/api/users/5/grant')(b)]),
    ...BAD_JSON.slice(0, 8).flatMap((b) => [post('/api/plans/1', 'PATCH')(b), post('/api/broadcasts')(b)]),
    ...GRANTS.map(post('/api/users/5/grant')),
    ...GRANTS.slice(0, 6).map(post('/api/users/abc/grant')),
    ...PLANS.map(post('/api/plans')),
    ...PATCHES.map(post('/api/plans/1', 'PATCH')),
    ...PATCHES.slice(0, 2).map(post('/api/plans/abc', 'PATCH')),
    ...BROADCASTS.map(post('/api/broadcasts')),
    ...LIST_QUERIES.flatMap((q) => [`/api/users?${q}`, `/api/plans?${q}`]).map((path) => ({ method: 'GET', path })),
    ...LIST_QUERIES.slice(0, 10).map((q) => ({ method: 'GET', path: `/api/payments?${q}` })),
    ...USER_QUERIES.map((q) => ({ method: 'GET', path: `/api/users?${q}` })),
    ...PAYMENT_QUERIES.map((q) => ({ method: 'GET', path: `/api/payments?${q}` })),
    ...PATHS.map((path) => ({ method: 'GET', path })),
    ...NOT_ALLOWED.map(([method, path]) => ({ method, path })),
    ...CONTENT,
    ...OVERSIZED,
    ...BAD_AUTH.map((authorization) => ({ method: 'GET', path: '/api/stats', headers: { authorization } })),
  ];
}

/** A request's identity, to prove the sweep holds no duplicates. */
export function requestKey(req: MalformedRequest): string {
  return JSON.stringify([req.method, req.path, req.headers ?? {}, req.body?.toString('base64') ?? null, req.chunks?.map((c) => c.toString('base64')) ?? null]);
}

/** A raw answer. */
export interface RawResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends `req` to `base` (http://host:port) on a fresh connection, with `authorization` unless the request sets its own. */
export function sendRaw(base: string, req: MalformedRequest, authorization: string): Promise<RawResponse> {
  const url = new URL(base);
  const headers: Record<string, string> = { authorization, connection: 'close', ...req.headers };
  if (req.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), headers: res.headers });
        outgoing.destroy();
      });
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written: the answer is what counts.
    outgoing.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`no answer within 10 s to ${req.method} ${req.path.slice(0, 80)}`)));
    for (const chunk of req.chunks ?? []) outgoing.write(chunk);
    outgoing.end(req.body);
  });
}

/** Fails unless `res` is a 4xx with a JSON `{error}` string and nothing that looks like a stack trace. */
export function assertRejected(req: MalformedRequest, res: RawResponse): void {
  const what = `${req.method} ${req.path.slice(0, 100)} ${String(req.body ?? req.chunks?.[0] ?? '').slice(0, 80)} → ${res.status} ${res.text.slice(0, 300)}`;
  assert.ok(res.status >= 400 && res.status < 500, what);
  assert.match(String(res.headers['content-type']), /^application\/json/, what);
  let parsed: unknown;
  assert.doesNotThrow(() => { parsed = JSON.parse(res.text); }, what);
  assert.equal(typeof (parsed as { error?: unknown }).error, 'string', what);
  assert.doesNotMatch(res.text, /\bat .*\.(?:js|ts):\d+|node:internal|\/dist\/src\//, `no stack trace or source path: ${what}`);
}

/** Sends the whole sweep and checks every answer; returns how many requests were sent. */
export async function sweepMalformed(base: string, authorization: string): Promise<number> {
  const requests = malformedRequests();
  assert.ok(requests.length >= MIN_MALFORMED_REQUESTS, `only ${requests.length} malformed requests`);
  assert.equal(new Set(requests.map(requestKey)).size, requests.length, 'every request is distinct');
  for (const req of requests) assertRejected(req, await sendRaw(base, req, authorization));
  return requests.length;
}
