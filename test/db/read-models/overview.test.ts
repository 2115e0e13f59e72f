/** The overview's series and counts on both databases: UTC days, refunds left out, new and churned subscribers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createReadModels } from '../../../src/db/read-models/index.js';
import type { Repositories, Subscription } from '../../../src/paywall/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { seedUser } from '../../helpers/store-fixture.js';
import { openReads, seedPayment } from './fixture.js';

const d = (iso: string) => new Date(iso);
const NOW = d('2026-03-11T05:00:00.000Z');

async function subscription(repos: Repositories, userId: number, createdAt: Date, fields: Partial<Subscription> = {}): Promise<Subscription> {
  await seedUser(repos, userId, createdAt);
  return repos.subscriptions.create(
    { userId, planId: null, chatIds: [-1001], status: 'active', startsAt: createdAt, expiresAt: d('2026-06-01T00:00:00Z'), recurringChargeId: null, ...fields },
    createdAt,
  );
}

for (const testDb of await testDatabases()) {
  describe(`overview read model (${testDb.kind})`, () => {
    test('revenue per UTC day: oldest first, empty days as 0, refunds left out, midnight belongs to the day it starts', async (t) => {
      const { store, reads, db } = await openReads(t, testDb);
      await seedUser(store, 1);
      await seedPayment(store, 'before-window', 1, 999, d('2026-03-04T23:59:59.999Z'));
      await seedPayment(store, 'first-midnight', 1, 100, d('2026-03-05T00:00:00.000Z'));
      await seedPayment(store, 'last-ms', 1, 50, d('2026-03-06T23:59:59.999Z'));
      await seedPayment(store, 'next-midnight', 1, 70, d('2026-03-07T00:00:00.000Z'));
      await seedPayment(store, 'refunded', 1, 500, d('2026-03-07T12:00:00.000Z'));
      await store.payments.markRefunded('refunded', d('2026-03-08T00:00:00.000Z'));
      await seedPayment(store, 'two-a', 1, 10, d('2026-03-09T01:00:00.000Z'));
      await seedPayment(store, 'two-b', 1, 20, d('2026-03-09T22:00:00.000Z'));
      await seedPayment(store, 'today', 1, 30, d('2026-03-11T04:59:59.999Z'));

      const { revenueByDay } = await reads.overview(NOW, 7);
      assert.deepEqual(revenueByDay, [
        { day: '2026-03-05', stars: 100, payments: 1 },
        { day: '2026-03-06', stars: 50, payments: 1 },
        { day: '2026-03-07', stars: 70, payments: 1 },
        { day: '2026-03-08', stars: 0, payments: 0 },
        { day: '2026-03-09', stars: 30, payments: 2 },
        { day: '2026-03-10', stars: 0, payments: 0 },
        { day: '2026-03-11', stars: 30, payments: 1 },
      ]);
      assert.deepEqual((await reads.overview(d('2026-03-12T00:00:00.000Z'), 1)).revenueByDay, [{ day: '2026-03-12', stars: 0, payments: 0 }], 'a new day starts at midnight');

      const month = (await reads.overview(NOW, 30)).revenueByDay;
      assert.equal(month.length, 30);
      assert.equal(month[0]?.day, '2026-02-10');
      const stats = await createReadModels(db.knex).stats(NOW);
      assert.equal(month.reduce((sum, day) => sum + day.stars, 0), stats.revenue30d, 'the chart adds up to the 30-day revenue');
      await assert.rejects(reads.overview(NOW, 0), RangeError);
    });

    test('new subscribers: users whose first subscription was created in the last 30 UTC days', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      await subscription(store, 1, d('2026-03-02T00:00:00Z'));
      await subscription(store, 1, d('2026-03-05T00:00:00Z'), { chatIds: [-1002] });
      await subscription(store, 2, d('2026-01-15T00:00:00Z'), { status: 'expired', expiresAt: d('2026-02-01T00:00:00Z') });
      await subscription(store, 2, d('2026-03-03T00:00:00Z'), { chatIds: [-1002] });
      await subscription(store, 3, d('2026-02-10T00:00:00.000Z'));
      await subscription(store, 4, d('2026-02-09T23:59:59.999Z'));
      // Renewed in place: a new starts_at, but the user subscribed long ago.
      const renewed = await subscription(store, 5, d('2026-01-01T00:00:00Z'), { status: 'expired', expiresAt: d('2026-01-31T00:00:00Z') });
      await store.subscriptions.update(renewed.id, { status: 'active', startsAt: d('2026-03-05T00:00:00Z'), expiresAt: d('2026-04-04T00:00:00Z') }, d('2026-03-05T00:00:00Z'));
      assert.equal((await reads.overview(NOW, 1)).newSubscribers30d, 2);
    });

    test('churned: no live subscription now, and the last one ended (expired or revoked) in the last 30 UTC days', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      const long = d('2026-01-01T00:00:00Z');
      await subscription(store, 1, long, { status: 'expired', expiresAt: d('2026-03-01T00:00:00Z') });
      await subscription(store, 2, long, { status: 'expired', expiresAt: d('2026-03-01T00:00:00Z') });
      await subscription(store, 2, long, { chatIds: [-1002], expiresAt: d('2026-04-01T00:00:00Z') }); // the other one is still live
      await subscription(store, 3, long, { status: 'expired', expiresAt: d('2026-01-20T00:00:00Z') });
      const revoked = await subscription(store, 4, long, { expiresAt: d('2026-04-30T00:00:00Z') });
      await store.subscriptions.update(revoked.id, { status: 'revoked' }, d('2026-03-05T00:00:00Z'));
      await subscription(store, 5, long, { expiresAt: d('2026-03-11T04:00:00Z') }); // ended an hour ago, not swept yet
      await subscription(store, 6, long, { status: 'expired', expiresAt: d('2026-03-01T00:00:00Z') });
      await subscription(store, 6, long, { chatIds: [-1002], expiresAt: null }); // lifetime
      const revokedLongAgo = await subscription(store, 7, long, { expiresAt: d('2026-03-01T00:00:00Z') });
      await store.subscriptions.update(revokedLongAgo.id, { status: 'revoked' }, d('2026-01-20T00:00:00Z'));
      await subscription(store, 8, long, { status: 'expired', expiresAt: d('2026-03-01T00:00:00Z') });
      await subscription(store, 8, long, { chatIds: [-1002], status: 'expired', expiresAt: d('2026-03-08T00:00:00Z') });
      await subscription(store, 9, long, { expiresAt: d('2026-03-11T06:00:00Z') }); // still live for an hour

      const overview = await reads.overview(NOW, 1);
      assert.equal(overview.churned30d, 4, 'users 1, 4 (revoked), 5 (unswept expiry) and 8 (two ended, counted once)');
      assert.equal(overview.newSubscribers30d, 0);
    });
  });
}
