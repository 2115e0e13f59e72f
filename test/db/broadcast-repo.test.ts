/** The broadcast repository on both databases: audiences, progress counters, crash recovery. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../../src/db/index.js';
import type { Store } from '../../src/paywall/index.js';
import { testDatabases } from '../helpers/databases.js';
import { at, DAY, openTestStore, seedUser, T0 } from '../helpers/store-fixture.js';

/** Users 1–7: 1 active, 2 lifetime, 3 expired, 4 revoked, 5 never paid, 6 active but blocked, 7 expired and active again. */
async function seedAudience(store: Store): Promise<void> {
  for (const id of [1, 2, 3, 4, 5, 6, 7]) await seedUser(store, id);
  const s = store.subscriptions;
  const base = { planId: null, chatIds: [-1001], startsAt: T0, recurringChargeId: null } as const;
  await s.create({ ...base, userId: 1, status: 'active', expiresAt: at(30 * DAY) }, T0);
  await s.create({ ...base, userId: 2, status: 'active', expiresAt: null }, T0);
  await s.create({ ...base, userId: 3, status: 'expired', expiresAt: at(DAY) }, T0);
  await s.create({ ...base, userId: 4, status: 'revoked', expiresAt: at(30 * DAY) }, T0);
  await s.create({ ...base, userId: 6, status: 'active', expiresAt: at(30 * DAY) }, T0);
  await s.create({ ...base, userId: 7, status: 'expired', expiresAt: at(DAY) }, T0);
  await s.create({ ...base, userId: 7, status: 'active', expiresAt: at(30 * DAY) }, T0);
  // Active by status but past its expiry (the sweeper has not run yet): counts as expired.
  await seedUser(store, 8);
  await s.create({ ...base, userId: 8, status: 'active', expiresAt: at(DAY) }, T0);
  await store.users.setBlocked(6, true, T0);
}

async function seedManyUsers(db: Db, count: number): Promise<void> {
  // Generated in SQL: seeding 100k rows one by one would dwarf what is measured.
  const series = db.kind === 'postgres'
    ? 'select g as id from generate_series(1, ?) as g'
    : 'with recursive g(id) as (select 1 union all select id + 1 from g where id < ?) select id from g';
  await db.knex.raw(`insert into users (id, blocked, first_seen_at) select id, ${db.kind === 'postgres' ? 'false' : '0'}, ? from (${series}) as s`, [T0.getTime(), count]);
  await db.knex.raw(`insert into subscriptions (user_id, status, starts_at, expires_at, created_at, updated_at) select id, 'active', ?, ?, ?, ? from users where id % 2 = 0`, [
    T0.getTime(), at(30 * DAY).getTime(), T0.getTime(), T0.getTime(),
  ]);
}

for (const testDb of await testDatabases()) {
  describe(`broadcast repo (${testDb.kind})`, () => {
    test('each audience is resolved at creation, blocked users left out', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedAudience(store);
      const now = at(2 * DAY);
      const active = await store.broadcasts.create('<b>Hi</b>', 'active', 'admin', now);
      const expired = await store.broadcasts.create('Come back', 'expired', 'admin', now);
      const all = await store.broadcasts.create('Everyone', 'all', 'admin', now);
      assert.deepEqual(active, { id: active.id, text: '<b>Hi</b>', audience: 'active', status: 'queued', total: 3, sent: 0, failed: 0, createdAt: now, finishedAt: null });
      assert.deepEqual(await store.broadcasts.pendingRecipients(active.id, 10), [1, 2, 7]);
      assert.deepEqual(await store.broadcasts.pendingRecipients(expired.id, 10), [3, 4, 8]);
      assert.deepEqual(await store.broadcasts.pendingRecipients(all.id, 10), [1, 2, 3, 4, 5, 7, 8]);
      assert.equal(all.total, 7);
      assert.deepEqual(await store.broadcasts.pendingRecipients(all.id, 2), [1, 2]);
      assert.equal(await store.broadcasts.get(9999), undefined);
    });

    test('markSending, markResult counters, failInFlight after a crash, setStatus', async (t) => {
      const { store } = await openTestStore(t, testDb);
      for (const id of [1, 2, 3, 4]) await seedUser(store, id);
      const b = await store.broadcasts.create('News', 'all', 'admin', T0);
      await store.broadcasts.setStatus(b.id, 'running', at(1));
      await store.broadcasts.markSending(b.id, 1, at(2));
      await store.broadcasts.markResult(b.id, 1, true, null, at(3));
      await store.broadcasts.markResult(b.id, 1, true, null, at(3)); // a repeated result counts once
      await store.broadcasts.markSending(b.id, 2, at(4));
      await store.broadcasts.markResult(b.id, 2, false, 'Forbidden: bot was blocked by the user', at(5));
      await store.broadcasts.markSending(b.id, 3, at(6));
      // A crash here: recipient 3 was being sent to.
      assert.deepEqual(await store.broadcasts.pendingRecipients(b.id, 10), [4]);
      assert.equal(await store.broadcasts.failInFlight(b.id, at(10)), 1);
      assert.equal(await store.broadcasts.failInFlight(b.id, at(11)), 0);
      assert.deepEqual(await store.broadcasts.pendingRecipients(b.id, 10), [4], 'never sent again');
      await store.broadcasts.setStatus(b.id, 'running', at(12));
      await store.broadcasts.markSending(b.id, 4, at(13));
      await store.broadcasts.markResult(b.id, 4, true, null, at(14));
      await store.broadcasts.setStatus(b.id, 'done', at(15));
      const done = await store.broadcasts.get(b.id);
      assert.deepEqual(done, { ...b, status: 'done', total: 4, sent: 2, failed: 2, finishedAt: at(15) });
    });

    test('concurrent results are all counted', async (t) => {
      const { store } = await openTestStore(t, testDb);
      for (let id = 1; id <= 30; id++) await store.users.ensure(id, T0);
      const b = await store.broadcasts.create('News', 'all', 'admin', T0);
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.broadcasts.markResult(b.id, i + 1, i % 3 !== 0, i % 3 !== 0 ? null : 'x', at(i))));
      const done = await store.broadcasts.get(b.id);
      assert.deepEqual([done?.sent, done?.failed], [20, 10]);
    });

    test('a broadcast to 100k users is created in one statement set, quickly', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      await seedManyUsers(db, 100_000);
      const started = performance.now();
      const all = await store.broadcasts.create('Everyone', 'all', 'admin', at(DAY));
      const active = await store.broadcasts.create('Subscribers', 'active', 'admin', at(DAY));
      const expired = await store.broadcasts.create('Lapsed', 'expired', 'admin', at(DAY));
      const elapsed = performance.now() - started;
      assert.deepEqual([all.total, active.total, expired.total], [100_000, 50_000, 0]);
      assert.ok(elapsed < 10_000, `three 100k-user audiences took ${Math.round(elapsed)} ms`);
      t.diagnostic(`three 100k-user audiences: ${Math.round(elapsed)} ms`);
    });
  });
}
