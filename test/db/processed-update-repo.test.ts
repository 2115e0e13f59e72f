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

    test('the inbox keeps updates as JSON until released, oldest first, a second keep of an id changing nothing', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const big = 2 ** 40; // update ids past 32 bits survive
      await store.updates.keep([{ updateId: big + 2, json: '{"update_id":2}' }, { updateId: big + 1, json: '{"update_id":1,"text":"é, \\"quoted\\""}' }], T0);
      await store.updates.keep([{ updateId: big + 1, json: '{"other":true}' }, { updateId: big + 3, json: '{"update_id":3}' }], at(1));
      assert.deepEqual(await store.updates.kept(10), [
        { updateId: big + 1, json: '{"update_id":1,"text":"é, \\"quoted\\""}' },
        { updateId: big + 2, json: '{"update_id":2}' },
        { updateId: big + 3, json: '{"update_id":3}' },
      ]);
      assert.deepEqual((await store.updates.kept(2)).map((k) => k.updateId), [big + 1, big + 2], 'at most the limit');
      await store.updates.release([big + 1, big + 3, big + 99]);
      assert.deepEqual((await store.updates.kept(10)).map((k) => k.updateId), [big + 2]);
      // More than one statement's worth of rows.
      const many = Array.from({ length: 1_200 }, (_, i) => ({ updateId: 10_000 + i, json: `{"update_id":${10_000 + i}}` }));
      await store.updates.keep(many, T0);
      assert.equal((await store.updates.kept(5_000)).length, 1_201);
      await store.updates.release(many.map((k) => k.updateId));
      assert.deepEqual((await store.updates.kept(5_000)).map((k) => k.updateId), [big + 2]);
    });
  });
}
