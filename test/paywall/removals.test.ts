/** Removals are queued once per ending, whichever path ended the subscription (expiry, revocation, refund). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grantAccess, revokeAccess, sweep, type PaywallDeps, type Store } from '../../src/paywall/index.js';
import { testDatabases } from '../helpers/databases.js';
import { DAY, T0, openTestStore } from '../helpers/store-fixture.js';

function depsOf(store: Store): PaywallDeps & { setNow(d: Date): void } {
  let now = T0;
  return { store, clock: { now: () => now }, defaultChatId: -1009, adminUserIds: [], setNow: (d) => { now = d; } };
}

async function removalJobs(store: Store, until: Date): Promise<number> {
  return (await store.jobs.claim('t', until, 1000)).filter((j) => j.type === 'remove').length;
}

for (const database of await testDatabases()) {
  describe(`removals (${database.kind})`, () => {
    test('a revocation queues one removal; later sweeps add none; a re-granted lifetime revoked again is removed again', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      await grantAccess(deps, { userId: 5, duration: 'lifetime', actor: 't' });
      await revokeAccess(deps, { userId: 5, actor: 't' });
      await sweep(deps, 0);
      deps.setNow(new Date(T0.getTime() + DAY));
      await sweep(deps, 0);
      assert.equal(await removalJobs(store, deps.clock.now()), 1);

      await grantAccess(deps, { userId: 5, duration: 'lifetime', actor: 't' });
      await revokeAccess(deps, { userId: 5, actor: 't' });
      await sweep(deps, 0);
      assert.equal(await removalJobs(store, deps.clock.now()), 1, 'the second revocation removes the member again');
    });

    test('an expiry is removed once, after the grace period', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      await grantAccess(deps, { userId: 6, duration: '1d', actor: 't' });
      deps.setNow(new Date(T0.getTime() + DAY + 1_000));
      assert.equal((await sweep(deps, 3_600_000)).removalsQueued, 0, 'within the grace period');
      deps.setNow(new Date(T0.getTime() + DAY + 3_600_000 + 2_000));
      assert.equal((await sweep(deps, 3_600_000)).removalsQueued, 1);
      assert.equal((await sweep(deps, 3_600_000)).removalsQueued, 0);
    });
  });
}
