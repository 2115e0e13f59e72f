/** The plan store and the plan operations over it, on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanStore } from '../../src/db/index.js';
import { addPlan, editPlan, getPlan, isPaywallError, setPlanActive } from '../../src/paywall/index.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

const CHAT = -1001234567890;

for (const testDb of await testDatabases()) {
  describe(`plan store (${testDb.kind})`, () => {
    test('create, get, list, update (partial), set active', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const plans = createPlanStore(db.knex);
      const monthly = await addPlan(plans, { title: 'Monthly', price: 250, duration: '30d', chatIds: [CHAT, -1009876543210], recurring: true });
      assert.deepEqual(monthly, { id: monthly.id, title: 'Monthly', description: '', price: 250, duration: '30d', chatIds: [CHAT, -1009876543210], active: true, recurring: true });
      assert.equal(Number.isInteger(monthly.id), true);
      const life = await addPlan(plans, { title: 'Forever', description: 'All of it', price: 5000, duration: 'lifetime' }, { defaultChatId: CHAT });
      assert.deepEqual(life.chatIds, [CHAT]);
      assert.deepEqual(await plans.get(life.id), life);
      assert.deepEqual((await plans.list()).map((p) => p.id), [monthly.id, life.id]);

      const edited = await editPlan(plans, monthly.id, { price: 300, chatIds: [-1005555555555] });
      assert.equal(edited.price, 300);
      assert.equal(edited.title, 'Monthly');
      assert.deepEqual(edited.chatIds, [-1005555555555]);
      const row = await db.knex('plans').where({ id: life.id }).first();
      assert.equal(row.duration_seconds, null);
      assert.equal(Number((await db.knex('plans').where({ id: monthly.id }).first()).duration_seconds), 2_592_000);

      await setPlanActive(plans, life.id, false);
      assert.deepEqual((await plans.list({ activeOnly: true })).map((p) => p.id), [monthly.id]);
      assert.equal((await getPlan(plans, life.id)).active, false);
      await setPlanActive(plans, life.id, true);
      assert.equal((await plans.list({ activeOnly: true })).length, 2);
    });

    test('unknown ids are PLAN_NOT_FOUND; store methods return undefined', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const plans = createPlanStore(db.knex);
      assert.equal(await plans.get(999), undefined);
      assert.equal(await plans.update(999, { price: 1 }), undefined);
      assert.equal(await plans.setActive(999, false), undefined);
      await assert.rejects(editPlan(plans, 999, { price: 5 }), (err: unknown) => isPaywallError(err, 'PLAN_NOT_FOUND'));
      await assert.rejects(setPlanActive(plans, 999, true), (err: unknown) => isPaywallError(err, 'PLAN_NOT_FOUND'));
    });

    test('an edit must keep every rule: a recurring plan cannot get another duration', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const plans = createPlanStore(db.knex);
      const plan = await addPlan(plans, { title: 'Sub', price: 100, duration: '30d', chatIds: [CHAT], recurring: true });
      await assert.rejects(editPlan(plans, plan.id, { duration: '7d' }), (err: unknown) => isPaywallError(err, 'PLAN_INVALID') && err.data.field === 'recurring');
      await assert.rejects(editPlan(plans, plan.id, { chatIds: [] }), (err: unknown) => isPaywallError(err, 'PLAN_INVALID') && err.data.field === 'chatIds');
      assert.deepEqual(await plans.get(plan.id), plan, 'a refused edit changes nothing');
    });

    test('the store works inside a caller\'s transaction, and rolls back with it', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await assert.rejects(
        db.knex.transaction(async (trx) => {
          await addPlan(createPlanStore(trx), { title: 'Temp', price: 1, duration: '1d', chatIds: [CHAT] });
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await createPlanStore(db.knex).list(), []);
    });
  });
}
