/**
 * Forms behind the page gate and logging out, through the whole app over a
 * real SQLite database: the session's CSRF token on every form, body limits,
 * logout ending the session in the database, the idle timeout, and 503 pages
 * while the database is away.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Middleware } from 'koa';
import { testDatabases } from '../../helpers/databases.js';
import { csrfIn, PASSWORD, startAuthApp, type Answer } from '../auth/app-fixture.js';

const [database] = await testDatabases();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cookieLine = (answer: Answer, name: string) => answer.setCookies.find((line) => line.startsWith(`${name}=`));

/** Pages stand-in: echoes the parsed form. */
const echoPages: Middleware = async (ctx, next) => {
  if (ctx.path !== '/echo') return next();
  ctx.body = { body: ctx.request.body ?? null };
};

describe('forms and logout', () => {
  test('a form POST needs the session\'s CSRF token (403 page without it); bodies over 64 kB are 413, other types 415', async (t) => {
    const app = await startAuthApp(t, database!, { pages: echoPages });
    const admin = app.browser();
    await admin.logIn();
    const token = (await app.db.knex('admin_sessions').first()).csrf_token as string;
    for (const form of [{ a: '1' }, { a: '1', _csrf: '' }, { a: '1', _csrf: `${token.slice(0, -1)}A` }] as Record<string, string>[]) {
      const refused = await admin.request('POST', '/echo', { form });
      assert.equal(refused.status, 403, JSON.stringify(form));
      assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
      assert.match(refused.text, /security token/);
    }
    assert.equal((await admin.request('POST', '/echo', { body: `_csrf=${token}&_csrf=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 403, 'one token, not two');
    const ok = await admin.request('POST', '/echo', { form: { a: '1', _csrf: token } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json().body, { a: '1', _csrf: token });
    const big = await admin.request('POST', '/echo', { form: { _csrf: token, text: 'x'.repeat(64 * 1024) } });
    assert.equal(big.status, 413);
    assert.match(big.text, /larger than 64 kB/);
    const json = await admin.request('POST', '/echo', { body: JSON.stringify({ _csrf: token }), headers: { 'content-type': 'application/json' } });
    assert.equal(json.status, 415);
  });

  test('logout needs the token, deletes the session, clears the cookie; the old cookie opens nothing any more', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    await admin.logIn();
    const token = admin.cookies.get('paywall_session')!;
    const csrf = csrfIn((await admin.request('GET', '/')).text);
    assert.equal((await admin.request('POST', '/logout', { form: {} })).status, 403);
    const out = await admin.request('POST', '/logout', { form: { _csrf: csrf } });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/login');
    assert.match(cookieLine(out, 'paywall_session')!, /^paywall_session=; path=\/; expires=Thu, 01 Jan 1970/i);
    assert.equal(await app.db.knex('admin_sessions').where({ id: sha256(token) }).first(), undefined, 'deleted in the database');
    const replay = app.browser();
    replay.cookies.set('paywall_session', token);
    assert.equal((await replay.request('GET', '/')).status, 303);
    assert.equal((await replay.request('GET', '/api/stats')).status, 401);
    assert.deepEqual((await app.db.knex('audit_log').orderBy('id').select('action')).map((r) => r.action), ['login', 'logout']);
  });

  test('a session ends after 12 idle hours (and its stale cookie is cleared)', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    await admin.logIn();
    const start = new Date('2026-03-01T12:00:00.000Z').getTime();
    app.setNow(new Date(start + 11 * 3_600_000));
    assert.equal((await admin.request('GET', '/')).status, 200, 'used within 12 hours: still open, and pushed back');
    app.setNow(new Date(start + 22 * 3_600_000));
    assert.equal((await admin.request('GET', '/')).status, 200);
    app.setNow(new Date(start + 34 * 3_600_000 + 1));
    const ended = await admin.request('GET', '/');
    assert.equal(ended.status, 303);
    assert.equal(admin.cookies.has('paywall_session'), false);
  });

  test('while the database is unreachable: pages and the login POST answer 503 pages, the form still shows', async (t) => {
    const app = await startAuthApp(t, database!);
    const admin = app.browser();
    await admin.logIn();
    const token = await app.browser().loginToken();
    app.setOffline(true);
    const page = await admin.request('GET', '/');
    assert.equal(page.status, 503);
    assert.match(page.text, /cannot reach its database/);
    assert.equal(page.headers.get('retry-after'), '5');
    const fresh = app.browser();
    assert.equal((await fresh.request('GET', '/login')).status, 200);
    const post = await fresh.request('POST', '/login', { form: { _csrf: csrfIn((await fresh.request('GET', '/login')).text), password: PASSWORD } });
    assert.equal(post.status, 503);
    assert.match(post.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(token);
    const api = await admin.request('GET', '/api/stats');
    assert.equal(api.status, 503);
    assert.equal(typeof api.json().error, 'string');
    app.setOffline(false);
    assert.equal((await admin.request('GET', '/')).status, 200, 'the session survives the outage');
  });
});
