/** The API as a whole: authentication on every path, 503 while the database is away (or goes away under a request), 405, cross-site writes, and no 500 for any malformed input. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../../helpers/databases.js';
import { MIN_MALFORMED_REQUESTS, sweepMalformed } from '../../api/malformed-requests.js';
import { AUTH, startApi } from '../../api/api-fixture.js';

const ROUTES: [string, string][] = [
  ['GET', '/api/stats'], ['GET', '/api/users'], ['GET', '/api/users/1'], ['POST', '/api/users/1/grant'], ['POST', '/api/users/1/revoke'],
  ['GET', '/api/plans'], ['POST', '/api/plans'], ['PATCH', '/api/plans/1'], ['GET', '/api/payments'], ['GET', '/api/payments?format=csv'],
  ['POST', '/api/payments/x/refund'], ['POST', '/api/broadcasts'], ['GET', '/api/broadcasts/1'], ['GET', '/api/bot'], ['GET', '/api/nothing-here'], ['GET', '/API/stats'],
];

const [database] = await testDatabases();

describe('the JSON API', () => {
  test('every route answers 401 with the Basic challenge without credentials, with malformed ones, a wrong password or a wrong user', async (t) => {
    const api = await startApi(t, database!);
    // Wrong passwords count against the login throttle (five per address): four of them, on the first routes only.
    const wrongPassword = [`Basic ${Buffer.from('admin:nope').toString('base64')}`, `Basic ${Buffer.from('root:fixture-password').toString('base64')}`];
    for (const [i, [method, path]] of ROUTES.entries()) {
      for (const auth of [null, 'Basic %%%', ...(i < 2 ? wrongPassword : [])]) {
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

describe('the JSON API, bodies and query strings', () => {
  test('a body declared as a form or XML that is not JSON is a 400 saying the API reads JSON; JSON sent as a form (curl -d) is read', async (t) => {
    const api = await startApi(t, database!);
    const form = await api.request('POST', '/api/plans', { body: 'title=t&price=10', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 400);
    assert.match(form.body.error, /not valid JSON.*reads JSON only \(this body was sent as application\/x-www-form-urlencoded\)/);
    const plain = await api.request('POST', '/api/plans', { body: '{"title":', headers: { 'content-type': 'application/json' } });
    assert.doesNotMatch(plain.body.error, /reads JSON only/);
    const curl = await api.request('POST', '/api/plans', { body: '{"title":"T","price":5,"duration":"7d"}', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(curl.status, 201, curl.text);
  });

  test('bad percent-encoding in a query string is a 400; repeated and blank parameters behave as documented', async (t) => {
    const api = await startApi(t, database!);
    for (const query of ['q=%', 'q=%FF', 'q=caf%E9', 'q%ZZ=1', 'status=%E2%82']) {
      const res = await api.request('GET', `/api/users?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.body.error, /percent-encoded UTF-8/, query);
    }
    assert.equal((await api.request('GET', '/api/users?q=caf%C3%A9+au+lait&status=&limit=5')).body.limit, 5, 'good encoding, + as a space, a blank choice ignored');
    assert.match((await api.request('GET', '/api/users?limit=5&limit=6')).body.error, /limit must be given once/);
  });
});

describe('the JSON API when the database fails under a request', () => {
  test('a failure that reveals an outage is a 503 {error}; any other failure a 500 with a request id and no detail', async (t) => {
    const api = await startApi(t, database!);
    // A table that vanished makes every stats query fail, like a server that went away mid-request.
    await api.db.knex.schema.renameTable('payments', 'payments_gone');
    const broken = await api.request('GET', '/api/stats');
    assert.equal(broken.status, 500);
    assert.match(broken.body.error, /^Internal error \(request id [0-9a-f-]{36}\)$/);
    assert.doesNotMatch(broken.text, /payments|SQLITE|relation|at .*\.js/, 'no detail of the failure');
    // The connector hides the backend the moment a query shows the database is gone (query-error fires before the caller hears).
    api.db.knex.on('query-error', () => api.setOffline(true));
    const outage = await api.request('GET', '/api/stats');
    assert.equal(outage.status, 503, outage.text);
    assert.equal(outage.body.error, 'The database is unreachable; try again shortly.');
    assert.equal(outage.headers.get('retry-after'), '5');
  });
});

for (const db of await testDatabases()) {
  describe(`the JSON API, malformed input (${db.kind})`, () => {
    test(`at least ${MIN_MALFORMED_REQUESTS} malformed requests each get a 4xx with an {error}, never a 5xx or a stack trace; /healthz still answers`, async (t) => {
      const api = await startApi(t, db);
      assert.equal((await api.request('POST', '/api/plans', { body: { title: 'P', price: 10, duration: '30d' } })).body.id, 1);
      const sent = await sweepMalformed(api.base, AUTH);
      assert.ok(sent >= MIN_MALFORMED_REQUESTS, `${sent} requests`);
      const health = await api.request('GET', '/healthz', { auth: null });
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, { status: 'ok', db: 'ok' });
      assert.deepEqual((await api.request('GET', '/api/plans')).body.items.map((p: { id: number }) => p.id), [1], 'no request of the sweep created anything');
    });
  });
}
