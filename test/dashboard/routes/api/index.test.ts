/** The API as a whole: authentication on every path, 503 while the database is away, 405, cross-site writes, and no 500 for any malformed input. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../../helpers/databases.js';
import { malformedRequests } from '../../api/malformed-requests.js';
import { startApi } from '../../api/api-fixture.js';

const ROUTES: [string, string][] = [
  ['GET', '/api/stats'], ['GET', '/api/users'], ['GET', '/api/users/1'], ['POST', '/api/users/1/grant'], ['POST', '/api/users/1/revoke'],
  ['GET', '/api/plans'], ['POST', '/api/plans'], ['PATCH', '/api/plans/1'], ['GET', '/api/payments'], ['GET', '/api/payments?format=csv'],
  ['POST', '/api/payments/x/refund'], ['POST', '/api/broadcasts'], ['GET', '/api/broadcasts/1'], ['GET', '/api/bot'], ['GET', '/api/nothing-here'], ['GET', '/API/stats'],
];

const [database] = await testDatabases();

describe('the JSON API', () => {
  test('every route answers 401 with the Basic challenge without credentials, with a wrong password, or a wrong user', async (t) => {
    const api = await startApi(t, database!);
    const wrong = [null, `Basic ${Buffer.from('admin:nope').toString('base64')}`, `Basic ${Buffer.from('root:fixture-password').toString('base64')}`, 'Basic %%%'];
    for (const [method, path] of ROUTES) {
      for (const auth of wrong) {
        const res = await api.request(method, path, { auth, body: method === 'GET' ? undefined : { duration: '1d' } });
        assert.equal(res.status, 401, `${method} ${path} ${auth}`);
        assert.equal(res.headers.get('www-authenticate'), 'Basic realm="paywall"');
        assert.equal(typeof res.body.error, 'string');
      }
    }
    assert.equal((await api.request('GET', '/healthz', { auth: null })).status, 200, '/healthz needs no credentials');
  });

  test('503 while the database is unreachable; 405 for a wrong method; 404 JSON for an unknown path; cross-site writes 403', async (t) => {
    const api = await startApi(t, database!);
    api.setOffline(true);
    const offline = await api.request('GET', '/api/stats');
    assert.equal(offline.status, 503);
    assert.match(offline.body.error, /database is unreachable/);
    api.setOffline(false);
    const notAllowed = await api.request('PUT', '/api/stats', { body: {} });
    assert.equal(notAllowed.status, 405);
    assert.equal(typeof notAllowed.body.error, 'string');
    const missing = await api.request('GET', '/api/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body.error, 'string');
    const forged = await api.request('POST', '/api/plans', { body: { title: 'x' }, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(forged.status, 403);
    assert.equal((await api.request('GET', '/api/stats', { headers: { 'sec-fetch-site': 'cross-site' } })).status, 200, 'reads are fine');
  });
});

for (const db of await testDatabases()) {
  describe(`the JSON API, malformed input (${db.kind})`, () => {
    test('malformed input of every kind gets a 4xx with an error, never a 5xx', async (t) => {
      const api = await startApi(t, db);
      await api.request('POST', '/api/plans', { body: { title: 'P', price: 10, duration: '30d' } });
      for (const req of malformedRequests()) {
        const res = await fetch(`${api.base}${req.path}`, { method: req.method, headers: { authorization: `Basic ${Buffer.from('admin:fixture-password').toString('base64')}`, ...req.headers }, body: req.body });
        const text = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${req.method} ${req.path} ${String(req.body).slice(0, 80)} → ${res.status} ${text}`);
        assert.equal(typeof (JSON.parse(text) as { error: unknown }).error, 'string', text);
        assert.ok(!/\bat .*\.js:\d+/.test(text), 'no stack trace');
      }
    });
  });
}
