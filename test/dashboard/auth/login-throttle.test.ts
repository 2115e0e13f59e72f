/** The login throttle: five failures per address within the window, then refused until it clears; and safe `next` paths. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLoginThrottle, LOGIN_WINDOW_SECONDS } from '../../../src/dashboard/auth/login-throttle.js';
import { loginLocation, safeNextPath } from '../../../src/dashboard/auth/next-path.js';

describe('login throttle', () => {
  test('five failures from one address block it for the rest of the window; others are unaffected', async () => {
    const throttle = createLoginThrottle();
    for (let i = 0; i < 5; i++) {
      assert.equal(await throttle.blockedFor('10.0.0.1'), undefined, `before failure ${i + 1}`);
      await throttle.failed('10.0.0.1');
    }
    const wait = await throttle.blockedFor('10.0.0.1');
    assert.ok(wait !== undefined && wait > LOGIN_WINDOW_SECONDS - 5 && wait <= LOGIN_WINDOW_SECONDS, String(wait));
    assert.equal(await throttle.blockedFor('10.0.0.2'), undefined);
    assert.equal(await createLoginThrottle().blockedFor('10.0.0.1'), undefined, 'each app has its own throttle');
  });

  test('the block ends when the window clears', async () => {
    const throttle = createLoginThrottle({ failures: 2, windowSeconds: 1 });
    await throttle.failed('a');
    await throttle.failed('a');
    assert.equal(await throttle.blockedFor('a'), 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal(await throttle.blockedFor('a'), undefined);
  });
});

describe('next paths', () => {
  test('only same-site paths are followed', () => {
    for (const ok of ['/', '/plans', '/users/5?tab=payments#top', '/a/b%20c']) assert.equal(safeNextPath(ok), ok);
    for (const bad of [undefined, 5, ['/x'], '', 'plans', '//evil.example', '/\\evil.example', 'https://evil.example', '/\nx', '/ x', '/login', '/login?next=/', '/LOGIN', `/${'x'.repeat(2000)}`]) {
      assert.equal(safeNextPath(bad), undefined, JSON.stringify(bad));
    }
  });

  test('the gate sends a GET to /login?next=, anything else to /login', () => {
    assert.equal(loginLocation('GET', '/plans?q=1'), '/login?next=%2Fplans%3Fq%3D1');
    assert.equal(loginLocation('GET', '/'), '/login');
    assert.equal(loginLocation('POST', '/plans'), '/login');
  });
});
