/**
 * Dashboard authentication in the real `paywall dashboard` process, on both
 * databases: the page gate, the login form and its cookies (Secure behind an
 * https proxy), CSRF on forms and cookie-authenticated API writes, the login
 * throttle for Basic and the form, and logout ending the session in the database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { sessionIdOf } from '../../src/dashboard/auth/tokens.js';
import { createDb, type Db } from '../../src/db/index.js';
import { createBrowser, csrfIn, type Browser } from '../dashboard/auth/app-fixture.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = 'e2e-auth-password-Ü:colon';
const CHAT = -1009876543210;
const JSON_TYPE = { 'content-type': 'application/json' };
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const API_ROUTES: [string, string][] = [
  ['GET', '/api/stats'], ['GET', '/api/users'], ['GET', '/api/users/1'], ['POST', '/api/users/1/grant'], ['POST', '/api/users/1/revoke'],
  ['GET', '/api/plans'], ['POST', '/api/plans'], ['PATCH', '/api/plans/1'], ['GET', '/api/payments'], ['GET', '/api/payments?format=csv'],
  ['POST', '/api/payments/x/refund'], ['POST', '/api/broadcasts'], ['GET', '/api/broadcasts/1'], ['GET', '/api/bot'],
];

/** A client whose requests come, by the proxy's word, from `ip`. */
type From = (ip: string, extra?: Record<string, string>) => Browser;

async function pagesAndApiAreClosed(from: From): Promise<void> {
  const visitor = from('192.0.2.1');
  for (const [path, location] of [['/', '/login'], ['/plans?q=x', '/login?next=%2Fplans%3Fq%3Dx'], ['/audit', '/login?next=%2Faudit']] as const) {
    const res = await visitor.request('GET', path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get('location'), location);
  }
  for (const [method, path] of API_ROUTES) {
    const res = await visitor.request(method, path, method === 'GET' ? {} : { body: '{}', headers: JSON_TYPE });
    assert.equal(res.status, 401, `${method} ${path}`);
  }
}

/** Logs in over "https" (the proxy says so) and returns that browser. */
async function logInOverHttps(from: From): Promise<Browser> {
  const admin = from('192.0.2.2', { 'x-forwarded-proto': 'https' });
  const token = await admin.loginToken();
  assert.equal((await admin.request('POST', '/login', { form: { password: PASSWORD } })).status, 403, 'no CSRF token: 403');
  const loggedIn = await admin.request('POST', '/login', { form: { _csrf: token, password: PASSWORD, next: '/plans' } });
  assert.equal(loggedIn.status, 303);
  assert.equal(loggedIn.headers.get('location'), '/plans');
  const cookie = loggedIn.setCookies.find((line) => line.startsWith('paywall_session='))!;
  assert.match(cookie, /; httponly/i);
  assert.match(cookie, /; samesite=lax/i);
  assert.match(cookie, /; secure/i);
  const plain = await from('192.0.2.3').logIn(PASSWORD);
  assert.doesNotMatch(plain.setCookies.find((line) => line.startsWith('paywall_session='))!, /secure/i, 'plain http: no Secure');
  return admin;
}

async function writesNeedTheirToken(admin: Browser, from: From, csrf: string): Promise<void> {
  const plan = JSON.stringify({ title: 'Weekly', description: '', price: 5, duration: '7d', chatIds: [CHAT], recurring: false });
  assert.equal((await admin.request('POST', '/api/plans', { body: plan, headers: JSON_TYPE })).status, 403, 'cookie write without X-CSRF-Token');
  assert.equal((await admin.request('POST', '/api/plans', { body: plan, headers: { ...JSON_TYPE, 'x-csrf-token': csrf } })).status, 201);
  assert.equal((await from('192.0.2.4').request('POST', '/api/plans', { body: plan, headers: { ...JSON_TYPE, authorization: basic(PASSWORD) } })).status, 201, 'Basic needs no token');
  assert.equal((await admin.request('POST', '/logout', { form: {} })).status, 403, 'a form without its token');
}

async function failedLoginsAreThrottled(from: From): Promise<void> {
  // Five wrong Basic passwords from one address close every way in from it; a session from it still works.
  const attacker = from('198.51.100.9');
  const insider = from('198.51.100.9');
  await insider.logIn(PASSWORD);
  for (let i = 0; i < 5; i++) assert.equal((await attacker.request('GET', '/api/stats', { headers: { authorization: basic(`wrong${i}`) } })).status, 401);
  const blocked = await attacker.request('GET', '/api/stats', { headers: { authorization: basic(PASSWORD) } });
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.equal(typeof blocked.json().error, 'string');
  const form = await attacker.request('POST', '/login', { form: { _csrf: await attacker.loginToken(), password: PASSWORD } });
  assert.equal(form.status, 429);
  assert.ok(Number(form.headers.get('retry-after')) > 0);
  assert.equal((await insider.request('GET', '/api/stats')).status, 200);
  assert.equal((await insider.request('GET', '/')).status, 200);
  // Five wrong form passwords from another address.
  const guesser = from('198.51.100.10');
  const guess = await guesser.loginToken();
  for (let i = 0; i < 5; i++) assert.equal((await guesser.request('POST', '/login', { form: { _csrf: guess, password: `wrong${i}` } })).status, 401);
  const sixth = await guesser.request('POST', '/login', { form: { _csrf: guess, password: PASSWORD } });
  assert.equal(sixth.status, 429);
  assert.ok(Number(sixth.headers.get('retry-after')) > 0);
}

async function logoutEndsTheSession(admin: Browser, from: From, db: Db, csrf: string): Promise<string> {
  const sessionToken = admin.cookies.get('paywall_session')!;
  assert.ok(await db.knex('admin_sessions').where({ id: sessionIdOf(sessionToken) }).first());
  const out = await admin.request('POST', '/logout', { form: { _csrf: csrf } });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/login');
  assert.equal(await db.knex('admin_sessions').where({ id: sessionIdOf(sessionToken) }).first(), undefined, 'deleted in the database');
  const replay = from('192.0.2.2');
  replay.cookies.set('paywall_session', sessionToken);
  assert.equal((await replay.request('GET', '/')).status, 303);
  assert.equal((await replay.request('GET', '/api/stats')).status, 401);
  return sessionToken;
}

for (const database of await testDatabases()) {
  describe(`dashboard authentication (${database.kind})`, () => {
    test('gate, login cookies, CSRF, throttle, logout', async (t) => {
      const h = await createHarness(t, database);
      const proc = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: 'true', PAYWALL_CHAT_ID: String(CHAT) } });
      const port = Number(LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]);
      const from: From = (ip, extra = {}) => createBrowser(`http://127.0.0.1:${port}`, { 'x-forwarded-for': ip, ...extra });
      const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
      t.after(() => db.close());

      await pagesAndApiAreClosed(from);
      const admin = await logInOverHttps(from);
      const home = await admin.request('GET', '/');
      assert.equal(home.status, 200);
      const csrf = csrfIn(home.text);
      await writesNeedTheirToken(admin, from, csrf);
      await failedLoginsAreThrottled(from);
      const sessionToken = await logoutEndsTheSession(admin, from, db, csrf);
      const actions: string[] = await db.knex('audit_log').orderBy('id').pluck('action');
      assert.deepEqual(actions.filter((a) => a === 'login' || a === 'logout'), ['login', 'login', 'login', 'logout']);

      proc.kill('SIGTERM');
      assert.equal((await proc.waitForExit(10_000)).code, 0);
      assert.ok(!proc.stdout().includes(PASSWORD) && !proc.stderr().includes(PASSWORD), 'the password never appears in output');
      assert.ok(!proc.stderr().includes(sessionToken), 'nor a session token');
      h.assertNoTokenLeak();
    });
  });
}
