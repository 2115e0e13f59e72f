/** Basic authentication: parsing, constant-time comparison, and the 401 answer with its challenge. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createLoginThrottle } from '../../../src/dashboard/auth/login-throttle.js';
import { basicAuthenticator, parseBasicAuth, requireAdmin, sameSecret, type Authenticator } from '../../../src/dashboard/middleware/basic-auth.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('parseBasicAuth', () => {
  test('splits at the first colon; the password may hold colons and any text', () => {
    assert.deepEqual(parseBasicAuth(basic('admin', 'a:b:ü')), { user: 'admin', password: 'a:b:ü' });
    assert.deepEqual(parseBasicAuth(`basic   ${Buffer.from('admin:').toString('base64')}`), { user: 'admin', password: '' });
  });

  test('anything else is not Basic credentials', () => {
    for (const header of [undefined, '', 'Basic', 'Basic !!!', `Bearer ${Buffer.from('admin:x').toString('base64')}`, `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      assert.equal(parseBasicAuth(header), undefined, String(header));
    }
  });
});

test('sameSecret compares any two strings', () => {
  assert.equal(sameSecret('hunter2', 'hunter2'), true);
  assert.equal(sameSecret('hunter2', 'hunter3'), false);
  assert.equal(sameSecret('short', 'a much longer string'), false);
});

async function answer(authenticators: Authenticator[], authorization?: string): Promise<{ status: number; body: unknown; challenge: string | null; retryAfter: string | null }> {
  const app = new Koa();
  app.use(requireAdmin(authenticators));
  app.use((ctx) => { ctx.body = { admin: ctx.state.admin, session: ctx.state.session }; });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/x`, { headers: authorization ? { authorization } : {} });
    return { status: res.status, body: await res.json(), challenge: res.headers.get('www-authenticate'), retryAfter: res.headers.get('retry-after') };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('requireAdmin with Basic', () => {
  const auth = basicAuthenticator(async (p) => sameSecret(p, 'right'));

  test('the right credentials pass, with the actor in ctx.state.admin', async () => {
    const res = await answer([auth], basic('admin', 'right'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { admin: { actor: 'dashboard:admin', via: 'basic' } });
  });

  test('none, a wrong password, a wrong user, or a malformed header: 401 with the challenge and an error', async () => {
    for (const header of [undefined, basic('admin', 'wrong'), basic('root', 'right'), 'Basic ???', 'Bearer abc']) {
      const res = await answer([auth], header);
      assert.equal(res.status, 401, String(header));
      assert.equal(res.challenge, 'Basic realm="paywall"');
      assert.equal(typeof (res.body as { error: unknown }).error, 'string');
    }
  });

  test('another authenticator (the session cookie) may vouch instead', async () => {
    const cookie: Authenticator = async () => ({ kind: 'admin', actor: 'dashboard:admin', via: 'session', session: { id: 'i', csrfToken: 'c' } });
    const res = await answer([auth, cookie]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { admin: { actor: 'dashboard:admin', via: 'session' }, session: { id: 'i', csrfToken: 'c' } });
  });
});

describe('requireAdmin with a login throttle', () => {
  test('wrong credentials count; past five, even the right password is 429 with Retry-After; no or malformed credentials never count', async () => {
    const throttle = createLoginThrottle();
    const auth = basicAuthenticator(async (p) => sameSecret(p, 'right'), throttle);
    for (const header of [undefined, 'Basic ???', 'Basic ???', 'Bearer x']) assert.equal((await answer([auth], header)).status, 401);
    assert.equal((await answer([auth], basic('root', 'right'))).status, 401, 'a wrong user counts too');
    for (let i = 0; i < 4; i++) assert.equal((await answer([auth], basic('admin', `wrong${i}`))).status, 401);
    const blocked = await answer([auth], basic('admin', 'right'));
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.retryAfter) > 0 && Number(blocked.retryAfter) <= 900);
    assert.match((blocked.body as { error: string }).error, /Too many failed logins/);
  });
});
