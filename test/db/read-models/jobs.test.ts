/** A user's jobs and the queue's summary on both databases; jobs.user_id filled on enqueue, refund jobs included. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestRefund } from '../../../src/paywall/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { at, SECOND, seedUser, T0 } from '../../helpers/store-fixture.js';
import { openReads, seedPayment } from './fixture.js';

for (const testDb of await testDatabases()) {
  describe(`job read models (${testDb.kind})`, () => {
    test("a user's jobs: newest first, only theirs, in the job repo's shape, a refund job included", async (t) => {
      const { db, store, reads } = await openReads(t, testDb);
      const invite = await store.jobs.enqueue({ type: 'invite', payload: { userId: 5, subscriptionId: 1, reason: 'grant' } }, T0);
      await store.jobs.enqueue({ type: 'invite', payload: { userId: 6, subscriptionId: 2 } }, at(SECOND));
      await store.jobs.enqueue({ type: 'message', payload: { userId: '5', key: 'x' } }, at(2 * SECOND));
      await store.jobs.enqueue({ type: 'message', payload: { userId: 5.5, key: 'x' } }, at(3 * SECOND));
      await store.jobs.enqueue({ type: 'admin_notice', payload: { key: 'admin.sale', params: { user: 5 } } }, at(4 * SECOND));
      const remove = await store.jobs.enqueue({ type: 'remove', payload: { userId: 5, subscriptionId: 1, notice: null } }, at(5 * SECOND));
      await seedUser(store, 5);
      await seedPayment(store, 'charge-5', 5, 250, T0);
      const refund = await requestRefund({ store, clock: { now: () => at(6 * SECOND) }, defaultChatId: undefined, adminUserIds: [] }, { chargeId: 'charge-5', actor: 'admin' });

      const jobs = await reads.userJobs(5, 10);
      assert.deepEqual(jobs.map((j) => j.id), [refund.id, remove.id, invite.id]);
      assert.deepEqual(jobs[1], await store.jobs.get(remove.id));
      assert.deepEqual(jobs[0]?.payload, { chargeId: 'charge-5', userId: 5, actor: 'admin' });
      assert.deepEqual((await reads.userJobs(5, 2)).map((j) => j.id), [refund.id, remove.id]);
      assert.deepEqual(await reads.userJobs(7, 10), []);
      const stored: Array<{ user_id: unknown }> = await db.knex('jobs').orderBy('id').select('user_id');
      assert.deepEqual(stored.map((r) => (r.user_id === null ? null : Number(r.user_id))), [5, 6, null, null, null, 5, 5]);
    });

    test('summary: every status counted (0 when none), the oldest queued run time, the ten latest failures by when they failed', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      assert.deepEqual(await reads.jobSummary(), { counts: { queued: 0, running: 0, done: 0, failed: 0 }, oldestQueuedAt: null, recentFailures: [] });

      const due = [];
      for (let i = 0; i < 14; i++) due.push(await store.jobs.enqueue({ type: 'message', payload: { userId: i, key: 'x' } }, T0));
      await store.jobs.enqueue({ type: 'message', payload: { key: 'later' }, runAt: at(5 * 3600 * SECOND) }, T0);
      await store.jobs.enqueue({ type: 'message', payload: { key: 'sooner' }, runAt: at(2 * 3600 * SECOND) }, T0);
      assert.equal((await store.jobs.claim('w', T0, 100)).length, 14);
      await store.jobs.complete(due[12]!.id, {}, at(SECOND));
      // Failed in an order unlike their ids: job i fails at second (5 i mod 12) + 10.
      const failedAt = new Map<number, number>();
      for (let i = 0; i < 12; i++) {
        const second = ((5 * i) % 12) + 10;
        failedAt.set(due[i]!.id, second);
        await store.jobs.fail(due[i]!.id, `error ${i}`, null, at(second * SECOND));
      }
      const summary = await reads.jobSummary();
      assert.deepEqual(summary.counts, { queued: 2, running: 1, done: 1, failed: 12 });
      assert.deepEqual(summary.oldestQueuedAt, at(2 * 3600 * SECOND));
      const latest = [...failedAt.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([id]) => id);
      assert.deepEqual(summary.recentFailures.map((j) => j.id), latest);
      assert.deepEqual(summary.recentFailures[0], await store.jobs.get(latest[0]!));
      assert.equal(summary.recentFailures[0]?.status, 'failed');
    });
  });
}
