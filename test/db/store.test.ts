/** The Store on both databases: one transaction across every repository. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDb, createStore } from '../../src/db/index.js';
import { openTestDb, silentLogger, testDatabases } from '../helpers/databases.js';
import { at, DAY, openTestStore, seedPlan, seedUser, T0 } from '../helpers/store-fixture.js';

const TABLES = ['users', 'plans', 'subscriptions', 'subscription_chats', 'payments', 'jobs', 'audit_log', 'processed_updates', 'orders', 'broadcasts', 'broadcast_recipients'];

for (const testDb of await testDatabases()) {
  describe(`store (${testDb.kind})`, () => {
    async function counts(db: { knex: import('knex').Knex }): Promise<Record<string, number>> {
      const result: Record<string, number> = {};
      for (const table of TABLES) result[table] = Number((await db.knex(table).count({ n: '*' }))[0]?.n);
      return result;
    }

    test('a transaction that throws rolls back the writes of every repository', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      const before = await counts(db);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.updates.markProcessed(1, T0);
          await seedUser(tx, 42);
          const plan = await seedPlan(tx);
          const order = await tx.orders.create({ payload: 'p', userId: 42, planId: plan.id, amount: 250, currency: 'XTR', createdAt: T0 });
          const sub = await tx.subscriptions.create({ userId: 42, planId: plan.id, chatIds: plan.chatIds, status: 'active', startsAt: T0, expiresAt: at(30 * DAY), recurringChargeId: null }, T0);
          await tx.payments.insert({
            chargeId: 'ch', providerChargeId: null, userId: 42, planId: plan.id, orderId: order.id, subscriptionId: sub.id, durationSeconds: 2_592_000,
            amount: 250, currency: 'XTR', isRecurring: false, subscriptionExpiresAt: null, source: 'update', createdAt: T0,
          });
          await tx.jobs.enqueue({ type: 'invite', payload: { subscriptionId: sub.id }, dedupeKey: 'invite:ch' }, T0);
          await tx.broadcasts.create('x', 'all', 'admin', T0);
          await tx.audit.record({ actor: 'test', action: 'grant', target: 'user:42' }, T0);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await counts(db), before);
    });

    test('a transaction that returns commits, and its value comes back', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      const id = await store.transaction(async (tx) => {
        await seedUser(tx, 42);
        const sub = await tx.subscriptions.create({ userId: 42, planId: null, chatIds: [-1001], status: 'active', startsAt: T0, expiresAt: null, recurringChargeId: null }, T0);
        await tx.jobs.enqueue({ type: 'invite', payload: { subscriptionId: sub.id } }, T0);
        return sub.id;
      });
      assert.equal((await store.subscriptions.get(id))?.userId, 42);
      assert.equal((await counts(db)).jobs, 1);
    });

    test('transactions that read, then write, from two processes\' handles on one database all commit', async (t) => {
      const { created, db } = await openTestDb(t, testDb);
      const other = await createDb(created.database, silentLogger());
      t.after(() => other.close());
      const stores = [createStore(db), createStore(other)];
      const runs = Array.from({ length: 30 }, (_, n) => stores[n % 2]!.transaction(async (tx) => {
        await tx.jobs.byDedupeKey('none');
        await new Promise((resolve) => setTimeout(resolve, 2));
        await tx.jobs.enqueue({ type: 'message', payload: { n } }, T0);
      }));
      await Promise.all(runs);
      assert.equal((await counts(db)).jobs, 30);
    });
  });
}
