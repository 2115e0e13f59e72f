/**
 * The money rules of the domain, on a real store (SQLite and PostgreSQL):
 * a payment is recorded once however often it arrives, it extends from the
 * later of now and the current expiry, a refund takes its time back once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyRefund, createOrder, decidePreCheckout, grantAccess, recordPayment, requestRefund, isPaywallError,
  type PaywallDeps, type Store,
} from '../../src/paywall/index.js';
import { testDatabases } from '../helpers/databases.js';
import { DAY, T0, openTestStore, seedPlan, seedUser } from '../helpers/store-fixture.js';

function depsOf(store: Store, now = T0): PaywallDeps & { setNow(d: Date): void } {
  let current = now;
  return { store, clock: { now: () => current }, defaultChatId: -1009, adminUserIds: [], setNow: (d) => { current = d; } };
}

async function paidOrder(deps: PaywallDeps, userId: number, chargeId: string, updateId?: number) {
  const plan = await seedPlan(deps.store);
  await seedUser(deps.store, userId);
  const { order } = await createOrder(deps, userId, plan.id);
  const outcome = await recordPayment(deps, { updateId, userId, chargeId, payload: order.payload, amount: plan.price, currency: 'XTR', source: 'update' });
  return { plan, order, outcome };
}

for (const database of await testDatabases()) {
  describe(`money rules (${database.kind})`, () => {
    test('the same charge, sequentially and concurrently, is recorded once and extends once', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      const { order, outcome } = await paidOrder(deps, 11, 'ch-1', 100);
      assert.equal(outcome.status, 'recorded');
      const again = await recordPayment(deps, { updateId: 101, userId: 11, chargeId: 'ch-1', payload: order.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal(again.status, 'duplicate');
      const redelivered = await recordPayment(deps, { updateId: 100, userId: 11, chargeId: 'ch-1b', payload: order.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal(redelivered.status, 'duplicate', 'a processed update id is a no-op');
      const racing = await Promise.all([1, 2, 3].map((i) => recordPayment(deps, { updateId: 200 + i, userId: 11, chargeId: 'ch-2', payload: order.payload, amount: 250, currency: 'XTR', source: 'update' })));
      assert.equal(racing.filter((r) => r.status === 'recorded').length, 1);
      const subs = await store.subscriptions.forUser(11);
      assert.equal(subs.length, 1);
      assert.equal(subs[0]!.expiresAt!.getTime(), T0.getTime() + 60 * DAY, 'two charges, two terms, from now');
      assert.equal((await store.payments.forUser(11)).length, 2);
      const confirmations = (await store.jobs.claim('t', new Date(T0.getTime() + DAY), 100)).filter((j) => j.type === 'invite');
      assert.equal(confirmations.length, 2, 'one confirmation per charge');
    });

    test('a second purchase while active extends from the current expiry; an expired one from now', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      const { plan } = await paidOrder(deps, 12, 'c-a');
      deps.setNow(new Date(T0.getTime() + 10 * DAY));
      const { order: second } = await createOrder(deps, 12, plan.id);
      await recordPayment(deps, { userId: 12, chargeId: 'c-b', payload: second.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal((await store.subscriptions.forUser(12))[0]!.expiresAt!.getTime(), T0.getTime() + 60 * DAY);
      deps.setNow(new Date(T0.getTime() + 100 * DAY));
      const { order: third } = await createOrder(deps, 12, plan.id);
      await recordPayment(deps, { userId: 12, chargeId: 'c-c', payload: third.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal((await store.subscriptions.forUser(12))[0]!.expiresAt!.getTime(), T0.getTime() + 130 * DAY);
    });

    test('pre-checkout: an order already paid is declined as not pending; a charge for it still grants', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      await store.chats.upsert({ chatId: -1001, title: 'x', botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: true, checkedAt: T0 });
      const { order } = await paidOrder(deps, 13, 'p-1');
      const decision = await decidePreCheckout(deps, { userId: 13, payload: order.payload, currency: 'XTR', totalAmount: 250 });
      assert.deepEqual(decision, { ok: false, reason: 'not_pending' });
      const late = await recordPayment(deps, { userId: 13, chargeId: 'p-2', payload: order.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal(late.status, 'recorded');
      assert.equal((await store.subscriptions.forUser(13))[0]!.expiresAt!.getTime(), T0.getTime() + 60 * DAY);
    });

    test('refunds take back the time bought, once; access ends when none is left', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      const { plan } = await paidOrder(deps, 14, 'r-1');
      const { order } = await createOrder(deps, 14, plan.id);
      await recordPayment(deps, { userId: 14, chargeId: 'r-2', payload: order.payload, amount: 250, currency: 'XTR', source: 'update' });
      assert.equal(await applyRefund(deps, 'r-2', 'admin'), true);
      assert.equal(await applyRefund(deps, 'r-2', 'telegram'), false, 'a second refund changes nothing');
      let sub = (await store.subscriptions.forUser(14))[0]!;
      assert.equal(sub.status, 'active');
      assert.equal(sub.expiresAt!.getTime(), T0.getTime() + 30 * DAY);
      await assert.rejects(requestRefund(deps, { chargeId: 'r-2', actor: 't' }), (e) => isPaywallError(e, 'ALREADY_REFUNDED'));
      await requestRefund(deps, { chargeId: 'r-1', actor: 't' });
      await assert.rejects(requestRefund(deps, { chargeId: 'r-1', actor: 't' }), (e) => isPaywallError(e, 'REFUND_QUEUED'));
      await assert.rejects(requestRefund(deps, { chargeId: 'nope', actor: 't' }), (e) => isPaywallError(e, 'PAYMENT_NOT_FOUND'));
      assert.equal(await applyRefund(deps, 'r-1', 'admin'), true);
      sub = (await store.subscriptions.forUser(14))[0]!;
      assert.equal(sub.status, 'expired');
    });

    test('a grant without a plan covers PAYWALL_CHAT_ID and creates an unseen user; no default chat is refused', async (t) => {
      const { store } = await openTestStore(t, database);
      const deps = depsOf(store);
      const sub = await grantAccess(deps, { userId: 99, duration: '7d', actor: 'test' });
      assert.deepEqual(sub.chatIds, [-1009]);
      assert.equal(sub.expiresAt!.getTime(), T0.getTime() + 7 * DAY);
      assert.ok(await store.users.get(99));
      await assert.rejects(grantAccess({ ...deps, defaultChatId: undefined }, { userId: 98, duration: '7d', actor: 't' }), (e) => isPaywallError(e, 'NO_DEFAULT_CHAT'));
      await assert.rejects(grantAccess(deps, { userId: 97, duration: '5 weeks', actor: 't' }), (e) => isPaywallError(e, 'DURATION_INVALID'));
    });
  });
}
