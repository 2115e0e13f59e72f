/** The processed-update repository on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`processed update repo (${testDb.kind})`, () => {
    test('markProcessed is true once per update id, also inside transactions', async (t) => {
      const { store } = await openTestStore(t, testDb);
      assert.equal(await store.updates.wasProcessed(900_000_001), false);
      assert.equal(await store.updates.markProcessed(900_000_001, T0), true);
      assert.equal(await store.updates.markProcessed(900_000_001, at(1)), false);
      assert.equal(await store.updates.wasProcessed(900_000_001), true);
      const raced = await Promise.all([1, 2].map(() => store.transaction((tx) => tx.updates.markProcessed(900_000_002, T0))));
      assert.deepEqual(raced.slice().sort(), [false, true]);
    });

    test('prune forgets updates handled before a time, and only those', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await store.updates.markProcessed(1, T0);
      await store.updates.markProcessed(2, at(1_000));
      await store.updates.markProcessed(3, at(2_000));
      assert.equal(await store.updates.prune(at(1_500)), 2);
      assert.deepEqual([await store.updates.wasProcessed(1), await store.updates.wasProcessed(2), await store.updates.wasProcessed(3)], [false, false, true]);
      assert.equal(await store.updates.prune(at(1_500)), 0);
    });
  });
}
