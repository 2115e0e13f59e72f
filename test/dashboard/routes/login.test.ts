/**
 * Logging in and the page gate, through the whole app over a real SQLite
 * database: redirects, security headers, the login form's CSRF token, cookies
 * and their flags, sessions in the database, safe `next` paths, the audit log.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Middleware } from 'koa';
import { CONTENT_SECURITY_POLICY } from '../../../src/dashboard/middleware/security-headers.js';
import { testDatabases } from '../../helpers/databases.js';
import { csrfIn, PASSWORD, startAuthApp, type Answer } from '../auth/app-fixture.js';

const [database] = await testDatabases();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cookieLine = (answer: Answer, name: string) => answer.setCookies.find((line) => line.startsWith(`${name}=`));

/** Pages stand-in: echoes what the gate and the body parser handed over. */
const echoPages: Middleware = async (ctx, next) => {
  if (ctx.path !== '/echo') return next();
  ctx.body = { method: ctx.method, admin: ctx.state.admin, session: ctx.state.session, body: ctx.request.body ?? null };
};

describe('the page gate', () => {
  test('without a session, pages redirect 303 to /login (with ?next= for a GET); health and login stay open; every answer has the security headers', async (t) => {
    const app = await startAuthApp(t, database!);
    const visitor = app.browser();
    const home = await visitor.request('GET', '/');
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/login');
    const deep = await visitor.request('GET', '/plans?status=active&q=a%20b');
    assert.equal(deep.status, 303);
    assert.equal(deep.headers.get('location'), `/login?next=${encodeURIComponent('/plans?status=active&q=a%20b')}`);
    const post = await visitor.request('POST', '/plans', { form: { title: 'x' } });
    assert.equal(post.status, 303);
    assert.equal(post.headers.get('location'), '/login');
    assert.equal((await visitor.request('GET', '/nope')).status, 303, 'unknown paths are no way around the gate');
    assert.equal((await visitor.request('GET', '/healthz')).status, 200);
    const login = await visitor.request('GET', '/login');
    assert.equal(login.status, 200);
    for (const answer of [home, deep, post, login, await visitor.request('GET', '/api/stats')]) {
      assert.equal(answer.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(answer.headers.get('x-frame-options'), 'DENY');
      assert.equal(answer.headers.get('referrer-policy'), 'same-origin');
      assert.equal(answer.headers.get('cross-origin-opener-policy'), 'same-origin');
    }
    assert.equal(CONTENT_SECURITY_POLICY, "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  });

  test('assets are public and mounted before the gate; pages get the admin, the session and the parsed form', async (t) => {
    const assets: Middleware = async (ctx, next) => {
      if (ctx.path !== '/assets/app.css') return next();
      ctx.type = 'css';
      ctx.body = 'body{}';
    };
    const app = await startAuthApp(t, database!, { assets, pages: echoPages });
    const admin = app.browser();
    assert.equal((await admin.request('GET', '/assets/app.css')).text, 'body{}');
    assert.equal((await admin.logIn()).status, 303);
    const page = await admin.request('GET', '/echo');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store', 'authenticated pages are never cached');
    const seen = page.json();
    assert.deepEqual(seen.admin, { actor: 'dashboard:admin', via: 'session' });
    const row = await app.db.knex('admin_sessions').first();
    assert.deepEqual(seen.session, { id: row.id, csrfToken: row.csrf_token });
    const posted = await admin.request('POST', '/echo', { body: `_csrf=${seen.session.csrfToken}&tag=a&tag=b&note=caf%C3%A9+%26+more&__proto__=x` , headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(posted.status, 200, posted.text);
    assert.deepEqual(posted.json().body, { _csrf: seen.session.csrfToken, tag: ['a', 'b'], note: 'café & more', ['__proto__']: 'x' });
  });
});

describe('logging in', () => {
  test('the form carries a double-submit token; a wrong password is 401 with the form and an error; the right one opens a session', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    const form = await admin.request('GET', '/login');
    assert.equal(form.status, 200);
    assert.match(form.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(form.headers.get('cache-control'), 'no-store');
    assert.match(form.text, /<form method="post" action="\/login"/);
    assert.match(form.text, /<label for="password">Password<\/label>/);
    const csrfCookie = cookieLine(form, 'paywall_csrf')!;
    assert.match(csrfCookie, /; path=\/login; samesite=strict; httponly/i);
    const token = csrfIn(form.text);
    assert.equal(admin.cookies.get('paywall_csrf'), token);

    for (const fields of [{ password: PASSWORD }, { password: PASSWORD, _csrf: 'x'.repeat(43) }] as Record<string, string>[]) {
      const refused = await admin.request('POST', '/login', { form: fields });
      assert.equal(refused.status, 403, JSON.stringify(fields));
      assert.match(refused.text, /expired or was not sent from this page/);
    }
    const cookieless = app.browser();
    assert.equal((await cookieless.request('POST', '/login', { form: { _csrf: token, password: PASSWORD } })).status, 403, 'the field alone is not enough');

    const wrong = await admin.request('POST', '/login', { form: { _csrf: token, password: 'nope' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Wrong password/);
    assert.match(wrong.text, /<input id="password"/, 'the form again');
    assert.equal(cookieLine(wrong, 'paywall_session'), undefined);

    const right = await admin.request('POST', '/login', { form: { _csrf: token, password: PASSWORD } });
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), '/');
    const sessionCookie = cookieLine(right, 'paywall_session')!;
    assert.match(sessionCookie, /^paywall_session=[\w-]{43}; path=\/; expires=[^;]+; samesite=lax; httponly$/i, 'HttpOnly, SameSite=Lax, no Secure over http');
    const sessionToken = admin.cookies.get('paywall_session')!;
    assert.equal(admin.cookies.has('paywall_csrf'), false, 'the login token is dropped');
    const rows = await app.db.knex('admin_sessions').select('*');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, sha256(sessionToken), 'stored as its SHA-256');
    assert.ok(!JSON.stringify(rows).includes(sessionToken), 'the token itself is never stored');
    assert.equal(rows[0].ip, '127.0.0.1');

    const home = await admin.request('GET', '/');
    assert.equal(home.status, 200);
    assert.match(home.text, /action="\/logout"/);
    assert.equal(csrfIn(home.text), rows[0].csrf_token, 'the logout form carries the session token');
    const again = await admin.request('GET', '/login?next=/plans');
    assert.equal(again.status, 303, 'signed in: /login sends you on');
    assert.equal(again.headers.get('location'), '/plans');
    const audit = await app.db.knex('audit_log').select('actor', 'action');
    assert.deepEqual(audit, [{ actor: 'dashboard:admin', action: 'login' }], 'only the success is audited');
  });

  test('after login, a safe `next` is followed and anything else goes to /', async (t) => {
    const app = await startAuthApp(t, database!);
    const page = await app.browser().request('GET', '/login?next=%2Fplans%3Fq%3D1');
    assert.match(page.text, /name="next" value="\/plans\?q=1"/);
    const cases: [string, string][] = [
      ['/plans?q=1', '/plans?q=1'], ['/users/5#top', '/users/5#top'], ['//evil.example/x', '/'], ['https://evil.example/', '/'],
      ['/\\evil.example', '/'], ['/\tevil', '/'], ['javascript:alert(1)', '/'], ['/login', '/'], ['', '/'],
    ];
    for (const [next, location] of cases) {
      const answer = await app.browser().logIn(PASSWORD, { next });
      assert.equal(answer.status, 303);
      assert.equal(answer.headers.get('location'), location, JSON.stringify(next));
    }
  });

  test('every login opens a new session and ends the browser\'s earlier one (no fixation)', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    await admin.logIn();
    const first = admin.cookies.get('paywall_session')!;
    // A signed-in browser is sent on from /login: fetch the form without the cookie, then post it with the cookie.
    admin.cookies.delete('paywall_session');
    const token = await admin.loginToken();
    admin.cookies.set('paywall_session', first);
    assert.equal((await admin.request('POST', '/login', { form: { _csrf: token, password: PASSWORD } })).status, 303);
    const second = admin.cookies.get('paywall_session')!;
    assert.notEqual(first, second);
    assert.deepEqual((await app.db.knex('admin_sessions').select('id')).map((r) => r.id), [sha256(second)]);
    const planted = app.browser();
    planted.cookies.set('paywall_session', first);
    assert.equal((await planted.request('GET', '/')).status, 303, 'the earlier token opens nothing');
    const other = app.browser();
    await other.logIn();
    assert.equal((await app.db.knex('admin_sessions').count({ n: '*' }))[0]!.n, 2, 'another browser has its own session');
  });

  test('behind https with TRUST_PROXY, both cookies are Secure; without the proxy header they are not', async (t) => {
    const app = await startAuthApp(t, database!, { trustProxy: true });
    const https = app.browser({ 'x-forwarded-proto': 'https' });
    const form = await https.request('GET', '/login');
    assert.match(cookieLine(form, 'paywall_csrf')!, /; secure/i);
    const done = await https.request('POST', '/login', { form: { _csrf: csrfIn(form.text), password: PASSWORD } });
    assert.equal(done.status, 303);
    assert.match(cookieLine(done, 'paywall_session')!, /; samesite=lax; secure; httponly$/i);
    const plain = await app.browser().logIn();
    assert.doesNotMatch(cookieLine(plain, 'paywall_session')!, /secure/i);
  });
});
