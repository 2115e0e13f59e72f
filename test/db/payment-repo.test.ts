/** The payment repository on both databases: unique by charge id, refunded once. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Payment } from '../../src/paywall/index.js';
import { testDatabases } from '../helpers/databases.js';
import { at, openTestStore, seedPlan, seedUser, T0 } from '../helpers/store-fixture.js';

function payment(chargeId: string, fields: Partial<Payment> = {}): Omit<Payment, 'status' | 'refundedAt'> {
  return {
    chargeId, providerChargeId: null, userId: 42, planId: null, orderId: null, subscriptionId: null, durationSeconds: 2_592_000,
    amount: 250, currency: 'XTR', isRecurring: false, subscriptionExpiresAt: null, source: 'update', createdAt: T0, ...fields,
  };
}

for (const testDb of await testDatabases()) {
  describe(`payment repo (${testDb.kind})`, () => {
    test('insert is idempotent by charge id; get and forUser read it back', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const plan = await seedPlan(store);
      const first = payment('ch_1', { planId: plan.id, providerChargeId: 'prov_1', isRecurring: true, subscriptionExpiresAt: at(30 * 86_400_000), source: 'reconcile' });
      assert.equal(await store.payments.insert(first), true);
      assert.equal(await store.payments.insert({ ...first, amount: 999, createdAt: at(1) }), false);
      assert.deepEqual(await store.payments.get('ch_1'), { ...first, status: 'paid', refundedAt: null });
      assert.equal(await store.payments.insert(payment('ch_2', { createdAt: at(10) })), true);
      assert.equal(await store.payments.insert(payment('ch_3', { userId: 43 })), true);
      assert.deepEqual((await store.payments.forUser(42)).map((p) => p.chargeId), ['ch_2', 'ch_1']);
      assert.equal(await store.payments.get('ch_none'), undefined);
    });

    test('two concurrent inserts of one charge, each in its transaction: exactly one true', async (t) => {
      const { store } = await openTestStore(t, testDb);
      const results = await Promise.all([0, 1].map((n) => store.transaction((tx) => tx.payments.insert(payment('ch_race', { amount: 100 + n })))));
      assert.deepEqual(results.slice().sort(), [false, true]);
      assert.equal((await store.payments.forUser(42)).length, 1);
    });

    test('a duplicate inside a transaction leaves the transaction usable', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await store.payments.insert(payment('ch_dup'));
      await store.transaction(async (tx) => {
        assert.equal(await tx.payments.insert(payment('ch_dup')), false);
        await seedUser(tx, 42);
      });
      assert.ok(await store.users.get(42));
    });

    test('markRefunded once', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 42);
      await store.payments.insert(payment('ch_r'));
      assert.equal(await store.payments.markRefunded('ch_r', at(1000)), true);
      assert.equal(await store.payments.markRefunded('ch_r', at(2000)), false);
      assert.equal(await store.payments.markRefunded('ch_unknown', at(2000)), false);
      const refunded = await store.payments.get('ch_r');
      assert.equal(refunded?.status, 'refunded');
      assert.deepEqual(refunded?.refundedAt, at(1000));
    });
  });
}
