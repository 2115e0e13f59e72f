/** The JSON shapes: ISO UTC times, an active subscription past its expiry shows expired, list shape. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { botJson, listJson, paymentJson, planJson, subscriptionJson, userJson } from '../../../src/dashboard/api/serializers.js';
import type { Payment, Subscription } from '../../../src/paywall/index.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  id: 1, userId: 7, planId: null, chatIds: [-100], status: 'active', startsAt: new Date('2026-02-01T00:00:00Z'),
  expiresAt: new Date('2026-03-02T00:00:00Z'), remindedAt: null, removedAt: null, recurringChargeId: null, ...over,
});
const payment: Payment = {
  chargeId: 'c1', providerChargeId: null, userId: 7, planId: 2, orderId: 1, subscriptionId: 1, durationSeconds: 86_400, amount: 250,
  currency: 'XTR', isRecurring: false, subscriptionExpiresAt: null, status: 'paid', source: 'update', createdAt: new Date('2026-02-01T00:00:00Z'), refundedAt: null,
};

describe('serializers', () => {
  test('subscription status: active, lapsed active shows expired, lifetime stays active', () => {
    assert.equal(subscriptionJson(sub(), NOW).status, 'active');
    assert.equal(subscriptionJson(sub({ expiresAt: new Date('2026-03-01T11:59:59Z') }), NOW).status, 'expired');
    assert.equal(subscriptionJson(sub({ expiresAt: null }), NOW).status, 'active');
    assert.equal(subscriptionJson(sub({ status: 'revoked' }), NOW).status, 'revoked');
    assert.deepEqual(subscriptionJson(sub({ expiresAt: null }), NOW), { id: 1, planId: null, chatIds: [-100], status: 'active', startsAt: '2026-02-01T00:00:00.000Z', expiresAt: null });
  });

  test('user, payment and plan shapes have exactly the SPEC keys', () => {
    const user = userJson({
      user: { id: 7, username: 'ann', firstName: 'Ann', lastName: null, languageCode: 'en', blocked: false, firstSeenAt: NOW, lastSeenAt: null },
      subscriptions: [sub()], payments: [payment],
    }, NOW);
    assert.deepEqual(Object.keys(user), ['id', 'username', 'firstName', 'lastName', 'languageCode', 'blocked', 'firstSeenAt', 'lastSeenAt', 'subscriptions', 'payments']);
    assert.equal(user.firstSeenAt, '2026-03-01T12:00:00.000Z');
    assert.deepEqual(paymentJson(payment), { chargeId: 'c1', userId: 7, planId: 2, amount: 250, currency: 'XTR', status: 'paid', createdAt: '2026-02-01T00:00:00.000Z', refundedAt: null });
    assert.deepEqual(Object.keys(planJson({ id: 1, title: 't', description: '', price: 1, duration: '30d', chatIds: [1], active: true, recurring: false })), ['id', 'title', 'description', 'price', 'duration', 'chatIds', 'active', 'recurring']);
    assert.deepEqual(listJson([1], 2, 10, 11), { items: [1], page: 2, limit: 10, total: 11 });
  });

  test('bot status times as ISO strings', () => {
    assert.deepEqual(botJson({ running: true, healthy: true, pid: 3, host: 'h', mode: 'polling', startedAt: NOW, lastPollAt: null, conflicts: 0 }), {
      running: true, healthy: true, pid: 3, host: 'h', mode: 'polling', startedAt: '2026-03-01T12:00:00.000Z', lastPollAt: null, conflicts: 0,
    });
  });
});
