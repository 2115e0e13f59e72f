/**
 * The JSON API's two ways in (the session cookie and HTTP Basic), the CSRF
 * header of cookie-authenticated writes, and the login throttle shared by the
 * form and Basic auth, through the whole app over a real SQLite database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { basic, csrfIn, PASSWORD, startAuthApp } from '../auth/app-fixture.js';

const [database] = await testDatabases();

const ROUTES: [string, string][] = [
  ['GET', '/api/stats'], ['GET', '/api/users'], ['GET', '/api/users/1'], ['POST', '/api/users/1/grant'], ['POST', '/api/users/1/revoke'],
  ['GET', '/api/plans'], ['POST', '/api/plans'], ['PATCH', '/api/plans/1'], ['GET', '/api/payments'], ['GET', '/api/payments?format=csv'],
  ['POST', '/api/payments/x/refund'], ['POST', '/api/broadcasts'], ['GET', '/api/broadcasts/1'], ['GET', '/api/bot'], ['GET', '/api/nope'],
];
const PLAN = { title: 'Monthly', description: '', price: 10, duration: '30d', chatIds: [-1001000000001], recurring: false };

describe('the JSON API by session cookie', () => {
  test('every route refuses a request without credentials, with a wrong password, or with an unknown session: 401', async (t) => {
    const app = await startAuthApp(t, database!, { trustProxy: true });
    for (const [i, [method, path]] of ROUTES.entries()) {
      // One address per route, so that the wrong passwords stay below the throttle's limit.
      const stranger = app.browser({ 'x-forwarded-for': `192.0.2.${i + 1}` });
      const forged = app.browser({ 'x-forwarded-for': `192.0.2.${i + 1}` });
      forged.cookies.set('paywall_session', 'A'.repeat(43));
      for (const [who, headers] of [[stranger, {}], [stranger, { authorization: basic('wrong') }], [forged, {}]] as const) {
        const res = await who.request(method, path, { headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(typeof res.json().error, 'string');
      }
    }
  });

  test('reads work by cookie; a cookie write needs X-CSRF-Token (403 without or wrong); a Basic write needs none', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    await admin.logIn();
    const csrf = csrfIn((await admin.request('GET', '/')).text);
    assert.equal((await admin.request('GET', '/api/stats')).status, 200);
    const csv = await admin.request('GET', '/api/payments?format=csv');
    assert.equal(csv.status, 200, 'the CSV link of the payments page works by cookie');
    const body = JSON.stringify(PLAN);
    const json = { 'content-type': 'application/json' };
    for (const headers of [json, { ...json, 'x-csrf-token': '' }, { ...json, 'x-csrf-token': `${csrf}x` }]) {
      const refused = await admin.request('POST', '/api/plans', { body, headers });
      assert.equal(refused.status, 403, JSON.stringify(headers));
      assert.match(refused.json().error, /X-CSRF-Token/);
    }
    assert.equal((await app.store.plans.list()).length, 0, 'nothing was written');
    const created = await admin.request('POST', '/api/plans', { body, headers: { ...json, 'x-csrf-token': csrf } });
    assert.equal(created.status, 201, created.text);
    const byBasic = await app.browser().request('POST', '/api/plans', { body, headers: { ...json, authorization: basic() } });
    assert.equal(byBasic.status, 201, byBasic.text);
    assert.equal((await app.store.plans.list()).length, 2);
    const granted = await admin.request('POST', '/api/users/4242/grant', { body: JSON.stringify({ duration: '7d' }), headers: { ...json, 'x-csrf-token': csrf } });
    assert.equal(granted.status, 200, granted.text);
    assert.deepEqual(await app.db.knex('audit_log').where({ action: 'grant' }).select('actor'), [{ actor: 'dashboard:admin' }], 'the session acts as the admin');
  });
});

describe('the login throttle', () => {
  test('five wrong Basic passwords, then every attempt from that address is 429 with Retry-After, the right password included; a session still works', async (t) => {
    const app = await startAuthApp(t, database!, { trustProxy: true });
    const from = (ip: string) => app.browser({ 'x-forwarded-for': ip });
    const signedIn = from('203.0.113.7');
    await signedIn.logIn();
    const attacker = from('203.0.113.7');
    for (const header of [undefined, 'Basic !!!', 'Bearer x']) {
      assert.equal((await attacker.request('GET', '/api/stats', header ? { headers: { authorization: header } } : {})).status, 401);
    }
    for (let i = 1; i <= 5; i++) {
      assert.equal((await attacker.request('GET', '/api/stats', { headers: { authorization: basic(`wrong-${i}`) } })).status, 401, `failure ${i}`);
    }
    const blocked = await attacker.request('GET', '/api/stats', { headers: { authorization: basic() } });
    assert.equal(blocked.status, 429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.match(blocked.json().error, /Too many failed logins/);
    const form = await attacker.request('GET', '/login');
    const formBlocked = await attacker.request('POST', '/login', { form: { _csrf: csrfIn(form.text), password: PASSWORD } });
    assert.equal(formBlocked.status, 429, 'the form is closed to that address too');
    assert.ok(Number(formBlocked.headers.get('retry-after')) > 0);
    assert.match(formBlocked.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(attacker.cookies.has('paywall_session'), false);

    assert.equal((await signedIn.request('GET', '/api/stats')).status, 200, 'a valid session is not a login attempt');
    assert.equal((await signedIn.request('GET', '/')).status, 200);
    assert.equal((await from('198.51.100.1').request('GET', '/api/stats', { headers: { authorization: basic() } })).status, 200, 'other addresses are not affected');
  });

  test('five wrong form passwords close the form and Basic auth to that address', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    const token = await admin.loginToken();
    const missing = await admin.request('POST', '/login', { form: { password: 'wrong' } });
    assert.equal(missing.status, 403, 'a refused CSRF check is no failed login');
    for (let i = 1; i <= 5; i++) {
      assert.equal((await admin.request('POST', '/login', { form: { _csrf: token, password: `wrong-${i}` } })).status, 401, `failure ${i}`);
    }
    const sixth = await admin.request('POST', '/login', { form: { _csrf: token, password: PASSWORD } });
    assert.equal(sixth.status, 429);
    assert.match(sixth.text, /Too many failed logins/);
    assert.ok(Number(sixth.headers.get('retry-after')) > 890);
    assert.equal(await app.db.knex('admin_sessions').first(), undefined, 'no session was opened');
    assert.equal((await app.browser().request('GET', '/api/stats', { headers: { authorization: basic() } })).status, 429);
  });
});
