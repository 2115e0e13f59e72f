/** Dozens of malformed API requests, shared by the in-process and the end-to-end sweeps; each must get a 4xx. */

/** One request of the sweep. */
export interface MalformedRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

const json = { 'content-type': 'application/json' };

/** The sweep: bad JSON, wrong types, bad numbers, bad ids, unknown fields, NUL characters, oversized bodies, bad queries. */
export function malformedRequests(): MalformedRequest[] {
  const post = (path: string, body: string, method = 'POST'): MalformedRequest => ({ method, path, body, headers: json });
  const bodies = ['{', '{"a":}', 'nul', '[1,2', '"\\u12"', '{"title":"x",}', "{'a':1}", '\u0000', '{"a":1}{"b":2}'];
  const grants = [
    '{}', '[]', '"30d"', '7', 'null', 'true', '{"duration":30}', '{"duration":null}', '{"duration":"-1d"}', '{"duration":"1.5d"}',
    '{"duration":"0d"}', '{"duration":"1e9d"}', '{"duration":"99999999999999999999d"}', '{"duration":"36501d"}', '{"duration":"7d","planId":"1"}',
    '{"duration":"7d","planId":-1}', '{"duration":"7d","planId":0}', '{"duration":"7d","planId":1.5}', '{"duration":"7d","planId":1e400}',
    '{"duration":"7d","planId":9007199254740993}', '{"duration":"7d","planId":9007199254740991}', '{"duration":"7d","planId":2147483648}', '{"duration":"7d","extra":true}', `{"duration":"${'9'.repeat(40)}d"}`, '{"duration":"lifetime","planId":{}}',
  ];
  const plans = [
    '{}', '[]', '{"title":5,"price":10,"duration":"30d"}', '{"title":"t","price":-1,"duration":"30d"}', '{"title":"t","price":0.5,"duration":"30d"}',
    '{"title":"t","price":1e308,"duration":"30d"}', '{"title":"t","price":"10","duration":"30d"}', '{"title":"t","price":10,"duration":"999999999999d"}',
    '{"title":"t","price":10,"duration":"30d","chatIds":[1.5]}', '{"title":"t","price":10,"duration":"30d","chatIds":[99999999999999999999]}',
    '{"title":"t","price":10,"duration":"30d","chatIds":{"a":1}}', '{"title":"t","price":10,"duration":"30d","recurring":"true"}',
    `{"title":"${'x'.repeat(200)}","price":10,"duration":"30d"}`, '{"title":"t","price":10,"duration":"30d","__proto__":{"x":1}}',
    '{"title":"t","price":10,"duration":"30d","description":["a"]}',
  ];
  const patches = ['{"price":-5}', '{"active":"yes"}', '{"duration":"0s"}', '{"title":null}', '[]', '{"id":2}', '{"chatIds":[]}'];
  const broadcasts = [
    '{}', '{"text":"hi"}', '{"text":"hi","audience":"nobody"}', '{"text":5,"audience":"all"}', '{"text":"","audience":"all"}',
    '{"text":"<b>x","audience":"all"}', '{"text":"<a href=\\"x\\">y","audience":"all"}', '{"text":"&bogus;","audience":"all"}', '{"text":"hi","audience":["all"]}',
  ];
  const gets = [
    '/api/users?limit=0', '/api/users?limit=501', '/api/users?page=0', '/api/users?page=-3', '/api/users?limit=1.5', '/api/users?limit=1e2', '/api/users?page=abc',
    '/api/users?status=nope', '/api/users?limit=1&limit=2', `/api/users?q=${'x'.repeat(101)}`, '/api/users/abc', '/api/users/0', '/api/users/-1', '/api/users/1.5',
    '/api/users/99999999999999999999', '/api/users/%FF', '/api/plans?limit=9999', '/api/plans/abc', '/api/payments?page=0', '/api/payments?format=pdf',
    '/api/payments?userId=x', '/api/broadcasts/abc', '/api/broadcasts/0', '/api/users/987654321', '/api/plans/987654321', '/api/broadcasts/987654321',
    '/api/plans/2147483648', '/api/plans/9007199254740991', '/api/broadcasts/9007199254740991', '/api/users/9007199254740991',
  ];
  return [
    ...bodies.map((b) => post('/api/plans', b)),
    ...bodies.map((b) => post('/api/users/5/grant', b)),
    ...grants.map((b) => post('/api/users/5/grant', b)),
    ...grants.slice(0, 6).map((b) => post('/api/users/abc/grant', b)),
    ...plans.map((b) => post('/api/plans', b)),
    ...patches.map((b) => post('/api/plans/1', b, 'PATCH')),
    ...patches.slice(0, 2).map((b) => post('/api/plans/abc', b, 'PATCH')),
    ...broadcasts.map((b) => post('/api/broadcasts', b)),
    ...gets.map((path) => ({ method: 'GET', path })),
    post('/api/plans', `{"title":"${'x'.repeat(70_000)}"}`),
    post('/api/broadcasts', `{"text":"${'x'.repeat(65_537)}","audience":"all"}`),
    { method: 'POST', path: '/api/plans', body: '{}', headers: { 'content-encoding': 'gzip' } },
    { method: 'POST', path: '/api/users/5/revoke', body: '{' },
    { method: 'POST', path: '/api/payments/unknown-charge/refund' },
    { method: 'POST', path: `/api/payments/${'x'.repeat(300)}/refund` },
    { method: 'POST', path: '/api/users/5/revoke' },
    { method: 'GET', path: '/api/users?q=%00' },
    { method: 'POST', path: '/api/payments/%00/refund' },
    post('/api/plans', '{"title":"a\\u0000b","price":5,"duration":"30d"}'),
    post('/api/broadcasts', '{"text":"a\\u0000b","audience":"all"}'),
    post('/api/users/5/grant', '{"duration":"7d","x\\u0000":1}'),
    { method: 'DELETE', path: '/api/stats' },
    { method: 'PUT', path: '/api/plans/1', body: '{}', headers: json },
  ];
}
