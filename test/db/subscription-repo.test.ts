/** The subscription repository on both databases: terms, chats, and the sweeper's due queries. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Repositories, Subscription } from '../../src/paywall/index.js';
import { testDatabases } from '../helpers/databases.js';
import { at, DAY, openTestStore, SECOND, seedPlan, seedUser, T0 } from '../helpers/store-fixture.js';

const HOUR = 3_600_000;
const CHAT_A = -1001;
const CHAT_B = -1002;

type NewSub = Parameters<Repositories['subscriptions']['create']>[0];

function sub(fields: Partial<NewSub>): NewSub {
  return { userId: 1, planId: null, chatIds: [CHAT_A], status: 'active', startsAt: T0, expiresAt: null, recurringChargeId: null, ...fields };
}

const ids = (subs: Subscription[]) => subs.map((s) => s.id);

for (const testDb of await testDatabases()) {
  describe(`subscription repo (${testDb.kind})`, () => {
    test('create, get, forUser, forUserAndPlan; chats keep their order; update replaces them and clears marks', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 1);
      const plan = await seedPlan(store, { chatIds: [CHAT_B, CHAT_A] });
      const onPlan = await store.subscriptions.create(sub({ planId: plan.id, chatIds: plan.chatIds, expiresAt: at(30 * DAY), recurringChargeId: 'ch_1' }), T0);
      assert.deepEqual(onPlan, {
        id: onPlan.id, userId: 1, planId: plan.id, chatIds: [CHAT_B, CHAT_A], status: 'active', startsAt: T0, expiresAt: at(30 * DAY),
        remindedAt: null, removedAt: null, recurringChargeId: 'ch_1',
      });
      const grant = await store.subscriptions.create(sub({ expiresAt: null }), at(1));
      assert.deepEqual(await store.subscriptions.get(onPlan.id), onPlan);
      assert.deepEqual(ids(await store.subscriptions.forUser(1)), [grant.id, onPlan.id]);
      assert.deepEqual(await store.subscriptions.forUserAndPlan(1, null), grant);
      assert.deepEqual(await store.subscriptions.forUserAndPlan(1, plan.id), onPlan);
      assert.equal(await store.subscriptions.forUserAndPlan(2, plan.id), undefined);

      await store.subscriptions.markReminded(onPlan.id, at(27 * DAY));
      await store.subscriptions.update(onPlan.id, { status: 'expired' }, at(30 * DAY));
      await store.subscriptions.markRemoved(onPlan.id, at(31 * DAY));
      const ended = await store.subscriptions.get(onPlan.id);
      assert.deepEqual([ended?.status, ended?.remindedAt, ended?.removedAt], ['expired', at(27 * DAY), at(31 * DAY)]);
      const renewed = await store.subscriptions.update(onPlan.id, { status: 'active', startsAt: at(40 * DAY), expiresAt: at(70 * DAY), chatIds: [CHAT_A] }, at(40 * DAY));
      assert.deepEqual(renewed, { ...onPlan, startsAt: at(40 * DAY), expiresAt: at(70 * DAY), chatIds: [CHAT_A] });
      await assert.rejects(store.subscriptions.update(9999, { status: 'revoked' }, T0));
    });

    test('dueToExpire and reminders: 3 days before for a 30-day plan, at 80% of a 10-second grant, never after expiry', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 1);
      await seedUser(store, 2);
      const plan = await seedPlan(store);
      const month = await store.subscriptions.create(sub({ userId: 1, planId: plan.id, expiresAt: at(30 * DAY) }), T0);
      const short = await store.subscriptions.create(sub({ userId: 2, expiresAt: at(10 * SECOND) }), T0);
      await store.subscriptions.create(sub({ userId: 2, planId: plan.id, expiresAt: null }), T0); // lifetime: never due

      assert.deepEqual(ids(await store.subscriptions.dueToExpire(at(10 * SECOND - 1), 10)), []);
      assert.deepEqual(ids(await store.subscriptions.dueToExpire(at(10 * SECOND), 10)), [short.id]);
      assert.deepEqual(ids(await store.subscriptions.dueToExpire(at(30 * DAY), 10)), [short.id, month.id]);
      assert.deepEqual(ids(await store.subscriptions.dueToExpire(at(30 * DAY), 1)), [short.id]);

      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(8 * SECOND - 1), 10)), []);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(8 * SECOND), 10)), [short.id]);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(10 * SECOND), 10)), [], 'never after expiry');
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(27 * DAY - 1), 10)), []);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(27 * DAY), 10)), [month.id]);
      await store.subscriptions.markReminded(month.id, at(27 * DAY));
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(28 * DAY), 10)), [], 'never twice');
    });

    test('a renewed plan is reminded 3 days before its new expiry; a short plan at 80% of its span', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 1);
      const month = await seedPlan(store);
      const day = await seedPlan(store, { duration: '1d', durationSeconds: 86_400 });
      // Two months bought: the plan's term (30 days) decides, so 3 days before the end.
      const twoMonths = await store.subscriptions.create(sub({ planId: month.id, expiresAt: at(60 * DAY) }), T0);
      // Two days of a one-day plan: 80% of the whole span.
      const twoDays = await store.subscriptions.create(sub({ planId: day.id, expiresAt: at(2 * DAY) }), T0);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(1.6 * DAY - 1), 10)), []);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(1.6 * DAY), 10)), [twoDays.id]);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(57 * DAY - 1), 10)), []);
      assert.deepEqual(ids(await store.subscriptions.dueForReminder(at(57 * DAY), 10)), [twoMonths.id]);
    });

    test('dueForRemoval after the grace; revoked at once; nextDueAt', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 1);
      await seedUser(store, 2);
      const plan = await seedPlan(store);
      const grace = HOUR;
      const month = await store.subscriptions.create(sub({ userId: 1, planId: plan.id, expiresAt: at(30 * DAY) }), T0);
      const short = await store.subscriptions.create(sub({ userId: 2, expiresAt: at(10 * SECOND) }), T0);
      const removalBefore = (now: Date) => store.subscriptions.dueForRemoval(new Date(now.getTime() - grace), 10);

      assert.deepEqual(await store.subscriptions.nextDueAt(T0, grace), at(8 * SECOND), 'the short grant\'s reminder first');
      await store.subscriptions.markReminded(short.id, at(8 * SECOND));
      assert.deepEqual(await store.subscriptions.nextDueAt(at(8 * SECOND), grace), at(10 * SECOND), 'then its expiry');
      await store.subscriptions.update(short.id, { status: 'expired' }, at(10 * SECOND));
      assert.deepEqual(await store.subscriptions.nextDueAt(at(10 * SECOND), grace), at(10 * SECOND + grace), 'then its removal');

      assert.deepEqual(ids(await removalBefore(at(10 * SECOND + grace - 1))), []);
      assert.deepEqual(ids(await removalBefore(at(10 * SECOND + grace))), [short.id]);
      await store.subscriptions.markRemoved(short.id, at(10 * SECOND + grace));
      assert.deepEqual(ids(await removalBefore(at(DAY))), []);
      assert.deepEqual(await store.subscriptions.nextDueAt(at(DAY), grace), at(27 * DAY), 'then the month\'s reminder');

      await store.subscriptions.update(month.id, { status: 'revoked' }, at(DAY));
      assert.deepEqual(ids(await removalBefore(at(DAY))), [month.id], 'a revoked subscription is due at once');
      assert.equal(await store.subscriptions.nextDueAt(at(DAY), grace), undefined, 'nothing left in the future');
    });

    test('coversChat: an active subscription, covering the chat, not expired', async (t) => {
      const { store } = await openTestStore(t, testDb);
      await seedUser(store, 1);
      await seedUser(store, 2);
      const plan = await seedPlan(store, { chatIds: [CHAT_A] });
      const month = await store.subscriptions.create(sub({ userId: 1, planId: plan.id, expiresAt: at(30 * DAY) }), T0);
      await store.subscriptions.create(sub({ userId: 2, chatIds: [CHAT_B], expiresAt: null }), T0);
      assert.equal(await store.subscriptions.coversChat(1, CHAT_A, at(DAY)), true);
      assert.equal(await store.subscriptions.coversChat(1, CHAT_A, at(30 * DAY)), false, 'the expiry instant is outside');
      assert.equal(await store.subscriptions.coversChat(1, CHAT_B, at(DAY)), false);
      assert.equal(await store.subscriptions.coversChat(2, CHAT_B, at(3650 * DAY)), true, 'lifetime');
      assert.equal(await store.subscriptions.coversChat(2, CHAT_A, at(DAY)), false);
      await store.subscriptions.update(month.id, { status: 'revoked' }, at(DAY));
      assert.equal(await store.subscriptions.coversChat(1, CHAT_A, at(DAY)), false);
    });
  });
}
