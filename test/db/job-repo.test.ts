/** The job repository on both databases: the durable queue. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, SECOND, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`job repo (${testDb.kind})`, () => {
    test('enqueue, get, claim due jobs in order, complete, counts', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const later = await store.jobs.enqueue({ type: 'message', payload: { userId: 1, key: 'x' }, runAt: at(5 * SECOND) }, T0);
      const first = await store.jobs.enqueue({ type: 'invite', payload: { userId: 2, nested: { list: [1, 'a'] } }, maxAttempts: 3 }, T0);
      assert.deepEqual(first, {
        id: first.id, type: 'invite', payload: { userId: 2, nested: { list: [1, 'a'] } }, status: 'queued', attempts: 0, maxAttempts: 3,
        runAt: T0, lastError: null, result: null, dedupeKey: null, createdAt: T0,
      });
      assert.deepEqual(await store.jobs.get(first.id), first);
      assert.equal(await store.jobs.get(9999), undefined);

      const claimed = await store.jobs.claim('w1', at(SECOND), 10);
      assert.deepEqual(claimed, [{ ...first, status: 'running', attempts: 1 }], 'only the due one');
      assert.deepEqual(await store.jobs.claim('w2', at(SECOND), 10), [], 'a running job is not claimed again');
      await store.jobs.complete(first.id, { links: 2 }, at(2 * SECOND));
      assert.deepEqual(await store.jobs.get(first.id), { ...first, status: 'done', attempts: 1, result: { links: 2 } });
      assert.deepEqual((await store.jobs.claim('w1', at(5 * SECOND), 10)).map((j) => j.id), [later.id]);
      assert.deepEqual(await store.jobs.counts(), { queued: 0, running: 1, done: 1, failed: 0 });
      assert.deepEqual(await store.jobs.claim('w1', at(5 * SECOND), 0), []);
    });

    test('concurrent claimers never get the same job', async (t) => {
      const { store } = await openTestStore(t, testDb);
      for (let i = 0; i < 20; i++) await store.jobs.enqueue({ type: 'message', payload: { i }, runAt: at(i) }, T0);
      for (const workers of [2, 4]) {
        await store.jobs.recoverStale(at(2 * SECOND), at(SECOND)); // the second round claims the same jobs again
        const batches = await Promise.all(Array.from({ length: workers }, (_, w) => store.jobs.claim(`w${w}`, at(SECOND), 8)));
        const rest = await store.jobs.claim('last', at(SECOND), 20);
        const claimed = [...batches.flat(), ...rest].map((j) => j.id);
        assert.equal(new Set(claimed).size, claimed.length, `no job claimed twice by ${workers} workers`);
        assert.equal(claimed.length, 20, 'every job claimed once');
        for (const batch of batches) {
          const runAts = batch.map((j) => j.runAt.getTime());
          assert.deepEqual(runAts, [...runAts].sort((a, b) => a - b), 'each batch in run_at order');
        }
      }
    });

    test('fail: back to the queue at retryAt, or failed for good', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const job = await store.jobs.enqueue({ type: 'remove', payload: {} }, T0);
      await store.jobs.claim('w', T0, 1);
      await store.jobs.fail(job.id, 'timeout', at(30 * SECOND), at(SECOND));
      assert.deepEqual(await store.jobs.get(job.id), { ...job, status: 'queued', attempts: 1, runAt: at(30 * SECOND), lastError: 'timeout' });
      assert.deepEqual(await store.jobs.claim('w', at(29 * SECOND), 1), []);
      assert.equal((await store.jobs.claim('w', at(30 * SECOND), 1))[0]?.attempts, 2);
      await store.jobs.fail(job.id, 'chat not found', null, at(31 * SECOND));
      const failed = await store.jobs.get(job.id);
      assert.deepEqual([failed?.status, failed?.lastError], ['failed', 'chat not found']);
      assert.deepEqual(await store.jobs.claim('w', at(60 * SECOND), 1), []);
    });

    test('recoverStale requeues jobs left running before the cut-off; a job out of attempts fails', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const old = await store.jobs.enqueue({ type: 'message', payload: {} }, T0);
      const spent = await store.jobs.enqueue({ type: 'message', payload: {}, maxAttempts: 1 }, T0);
      await store.jobs.claim('crashed', T0, 2);
      const fresh = await store.jobs.enqueue({ type: 'message', payload: {} }, T0);
      await store.jobs.claim('alive', at(10 * SECOND), 1);
      assert.equal(await store.jobs.recoverStale(at(5 * SECOND), at(10 * SECOND)), 2);
      const recovered = await store.jobs.get(old.id);
      assert.deepEqual([recovered?.status, recovered?.runAt, recovered?.attempts], ['queued', at(10 * SECOND), 1]);
      assert.equal((await store.jobs.get(spent.id))?.status, 'failed');
      assert.equal((await store.jobs.get(fresh.id))?.status, 'running');
      assert.equal(await store.jobs.recoverStale(at(5 * SECOND), at(10 * SECOND)), 0);
    });

    test('dedupe: a second job with the key is the first, also when two transactions race', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      const first = await store.jobs.enqueue({ type: 'invite', payload: { n: 1 }, dedupeKey: 'invite:ch_1' }, T0);
      const second = await store.jobs.enqueue({ type: 'invite', payload: { n: 2 }, dedupeKey: 'invite:ch_1' }, at(1));
      assert.deepEqual(second, first);
      assert.deepEqual(await store.jobs.byDedupeKey('invite:ch_1'), first);
      assert.equal(await store.jobs.byDedupeKey('none'), undefined);
      const raced = await Promise.all([1, 2, 3].map((n) => store.transaction(async (tx) => {
        const job = await tx.jobs.enqueue({ type: 'admin_notice', payload: { n }, dedupeKey: 'admin:sale:ch_2' }, T0);
        // The transaction goes on after the duplicate: nothing was aborted.
        await tx.audit.record({ actor: 'test', action: 'noop', target: null }, T0);
        return job.id;
      })));
      assert.equal(new Set(raced).size, 1);
      assert.equal(Number((await db.knex('jobs').where({ dedupe_key: 'admin:sale:ch_2' }).count({ n: '*' }))[0]?.n), 1);
      assert.equal(Number((await db.knex('audit_log').count({ n: '*' }))[0]?.n), 3);
    });
  });
}
