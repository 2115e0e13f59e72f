/** The order repository on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, seedPlan, seedUser, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`order repo (${testDb.kind})`, () => {
    test('create, byPayload, markPaid once', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 42);
      const plan = await seedPlan(store);
      const order = await store.orders.create({ payload: 'o:abc', userId: 42, planId: plan.id, amount: 250, currency: 'XTR', createdAt: T0 });
      assert.deepEqual(order, { id: order.id, payload: 'o:abc', userId: 42, planId: plan.id, amount: 250, currency: 'XTR', status: 'pending', createdAt: T0, paidAt: null });
      assert.deepEqual(await store.orders.byPayload('o:abc'), order);
      assert.equal(await store.orders.byPayload('o:none'), undefined);
      assert.equal(await store.orders.markPaid(order.id, at(5000)), true);
      assert.equal(await store.orders.markPaid(order.id, at(6000)), false);
      assert.deepEqual(await store.orders.byPayload('o:abc'), { ...order, status: 'paid', paidAt: at(5000) });
      assert.equal(await store.orders.markPaid(999, at(1)), false);
    });

    test('of concurrent markPaid calls in transactions, exactly one wins', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 42);
      const plan = await seedPlan(store);
      const order = await store.orders.create({ payload: 'o:race', userId: 42, planId: plan.id, amount: 250, currency: 'XTR', createdAt: T0 });
      const results = await Promise.all([1, 2, 3].map((n) => store.transaction((tx) => tx.orders.markPaid(order.id, at(n)))));
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
