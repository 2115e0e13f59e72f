/**
 * Session rules over the real store: tokens are never stored, every login is a
 * new session, 12 idle hours end one, each use (written at most once a minute)
 * pushes that back, 7 days end it however busy, expired rows are purged.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { BackendUnavailableError } from '../../../src/dashboard/api/http-errors.js';
import { createSessions, sessionExpiry, SESSION_IDLE_MS, SESSION_LIFETIME_MS } from '../../../src/dashboard/auth/sessions.js';
import { createSessionStore } from '../../../src/db/session-store.js';
import { openTestDb, testDatabases } from '../../helpers/databases.js';

const [database] = await testDatabases();
const T0 = new Date('2026-03-01T12:00:00.000Z').getTime();
const HOUR = 3_600_000;

async function setUp(t: Parameters<typeof openTestDb>[0]) {
  const { db } = await openTestDb(t, database!);
  const store = createSessionStore(db.knex);
  let now = T0;
  const sessions = createSessions({ store: () => store, now: () => new Date(now) });
  return { db, store, sessions, setNow: (ms: number) => { now = ms; } };
}

describe('sessions', () => {
  test('start: a 43-character token, stored only as its SHA-256, with its own CSRF token', async (t) => {
    const { db, store, sessions } = await setUp(t);
    const { token, session } = await sessions.start('127.0.0.1');
    assert.match(token, /^[\w-]{43}$/);
    assert.equal(session.id, createHash('sha256').update(token).digest('hex'));
    assert.match(session.csrfToken, /^[\w-]{43}$/);
    const stored = await store.find(session.id);
    assert.deepEqual(stored, { id: session.id, csrfToken: session.csrfToken, ip: '127.0.0.1', createdAt: new Date(T0), lastSeenAt: new Date(T0), expiresAt: new Date(T0 + SESSION_IDLE_MS) });
    assert.ok(!JSON.stringify(await db.knex('admin_sessions').select('*')).includes(token));
    const other = await sessions.start(null);
    assert.notEqual(other.token, token);
    assert.notEqual(other.session.csrfToken, session.csrfToken);
    assert.deepEqual(await sessions.resolve(token), session);
    assert.equal(await sessions.resolve('A'.repeat(43)), undefined);
  });

  test('idle timeout of 12 hours, pushed back by each use but written at most once a minute', async (t) => {
    const { store, sessions, setNow } = await setUp(t);
    const { token, session } = await sessions.start(null);
    setNow(T0 + 30_000);
    assert.ok(await sessions.resolve(token));
    assert.equal((await store.find(session.id))!.lastSeenAt.getTime(), T0, 'not written within the minute');
    setNow(T0 + 60_000);
    assert.ok(await sessions.resolve(token));
    assert.equal((await store.find(session.id))!.lastSeenAt.getTime(), T0 + 60_000);
    assert.equal((await store.find(session.id))!.expiresAt.getTime(), T0 + 60_000 + SESSION_IDLE_MS);
    setNow(T0 + 60_000 + SESSION_IDLE_MS - 1);
    assert.ok(await sessions.resolve(token), 'a millisecond before the idle limit');
    setNow(T0 + 60_000 + 2 * SESSION_IDLE_MS);
    assert.equal(await sessions.resolve(token), undefined, 'idle for 12 hours');
    assert.equal(await store.find(session.id), undefined, 'and deleted');
  });

  test('an absolute lifetime of 7 days, however busy the session', async (t) => {
    const { sessions, setNow } = await setUp(t);
    const { token } = await sessions.start(null);
    let now = T0;
    while (now + 11 * HOUR < T0 + SESSION_LIFETIME_MS) {
      now += 11 * HOUR;
      setNow(now);
      assert.ok(await sessions.resolve(token), `still open after ${(now - T0) / HOUR} hours`);
    }
    setNow(T0 + SESSION_LIFETIME_MS);
    assert.equal(await sessions.resolve(token), undefined);
    assert.equal(sessionExpiry(new Date(T0), new Date(T0 + SESSION_LIFETIME_MS - HOUR)).getTime(), T0 + SESSION_LIFETIME_MS);
  });

  test('expired rows are purged at the next login; end() deletes one', async (t) => {
    const { db, sessions, setNow } = await setUp(t);
    const stale = await sessions.start(null);
    const kept = await sessions.start(null);
    setNow(T0 + SESSION_IDLE_MS - 60_000);
    await sessions.resolve(kept.token);
    setNow(T0 + SESSION_IDLE_MS + 1);
    const fresh = await sessions.start(null);
    assert.deepEqual((await db.knex('admin_sessions').orderBy('created_at').pluck('id')).sort(), [kept.session.id, fresh.session.id].sort());
    assert.ok(!(await db.knex('admin_sessions').pluck('id')).includes(stale.session.id));
    await sessions.end(kept.session.id);
    assert.equal(await sessions.resolve(kept.token), undefined);
  });

  test('without the database every operation is a BackendUnavailableError', async () => {
    const sessions = createSessions({ store: () => undefined });
    await assert.rejects(sessions.start(null), BackendUnavailableError);
    await assert.rejects(sessions.resolve('A'.repeat(43)), BackendUnavailableError);
    await assert.rejects(sessions.end('x'), BackendUnavailableError);
  });
});
