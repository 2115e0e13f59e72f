/** After the charge: refunds, subscription edits and getStarTransactions over the ledger. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StarTransactions } from 'grammy/types';
import { ANN, BOB, resultOf, startFake, takeUpdates } from './fixture.js';

test('refundStarPayment: ok once, then CHARGE_ALREADY_REFUNDED; unknown charge or wrong user is CHARGE_NOT_FOUND', async (t) => {
  const { fake, token, call } = await startFake(t);
  const { chargeId } = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'order:1', amount: 100 });
  const refund = (params: Record<string, unknown>) => call('refundStarPayment', params);

  assert.deepEqual((await refund({ user_id: BOB.id, telegram_payment_charge_id: chargeId })).body, {
    ok: false, error_code: 400, description: 'Bad Request: CHARGE_NOT_FOUND',
  });
  assert.equal(((await refund({ user_id: ANN.id, telegram_payment_charge_id: 'stxNope' })).body as { description: string }).description, 'Bad Request: CHARGE_NOT_FOUND');
  assert.equal(((await refund({ telegram_payment_charge_id: chargeId })).body as { description: string }).description, 'Bad Request: invalid user_id specified');
  assert.equal(((await refund({ user_id: ANN.id })).body as { description: string }).description, 'Bad Request: parameter "telegram_payment_charge_id" is required');

  assert.deepEqual((await refund({ user_id: ANN.id, telegram_payment_charge_id: chargeId })).body, { ok: true, result: true });
  assert.deepEqual((await refund({ user_id: ANN.id, telegram_payment_charge_id: chargeId })).body, {
    ok: false, error_code: 400, description: 'Bad Request: CHARGE_ALREADY_REFUNDED',
  });
  const [charge] = fake.starCharges(token);
  assert.equal(charge?.refunded, true);
  assert.equal(typeof charge?.refundDate, 'number');
});

test('getStarTransactions: oldest first, a refund goes out to the user under the payment id; offset and limit', async (t) => {
  let clock = Date.UTC(2030, 0, 1);
  const { fake, token, call } = await startFake(t, { now: () => clock });
  const first = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'order:1', amount: 100 });
  clock += 60_000;
  const second = fake.deliverSuccessfulPayment(token, { user: BOB, payload: 'sub:2', amount: 250, subscriptionPeriod: 2_592_000, isRecurring: true });
  clock += 60_000;
  fake.deliverSuccessfulPayment(token, { user: BOB, payload: 'card:3', amount: 999, currency: 'EUR' });
  clock += 60_000;
  await call('refundStarPayment', { user_id: ANN.id, telegram_payment_charge_id: first.chargeId });

  const { transactions } = resultOf<StarTransactions>(await call('getStarTransactions'));
  const t0 = Date.UTC(2030, 0, 1) / 1000;
  assert.deepEqual(transactions, [
    {
      id: first.chargeId, amount: 100, date: t0,
      source: { type: 'user', transaction_type: 'invoice_payment', user: { id: ANN.id, is_bot: false, first_name: 'Ann', username: 'ann', language_code: 'en' }, invoice_payload: 'order:1' },
    },
    {
      id: second.chargeId, amount: 250, date: t0 + 60,
      source: { type: 'user', transaction_type: 'invoice_payment', user: { id: BOB.id, is_bot: false, first_name: 'Bob' }, invoice_payload: 'sub:2', subscription_period: 2_592_000 },
    },
    {
      id: first.chargeId, amount: 100, date: t0 + 180,
      receiver: { type: 'user', transaction_type: 'invoice_payment', user: { id: ANN.id, is_bot: false, first_name: 'Ann', username: 'ann', language_code: 'en' }, invoice_payload: 'order:1' },
    },
  ], 'the EUR charge is not a Star transaction');
  assert.deepEqual(fake.starTransactions(token), transactions);

  const page = resultOf<StarTransactions>(await call('getStarTransactions', { offset: 1, limit: 1 })).transactions;
  assert.deepEqual(page.map((tx) => tx.id), [second.chargeId]);
  const clamped = resultOf<StarTransactions>(await call('getStarTransactions', { offset: -5, limit: 0 })).transactions;
  assert.deepEqual(clamped.map((tx) => tx.id), [first.chargeId], 'offset clamps to 0 and limit to 1, as the Bot API server does');
});

test('editUserStarSubscription records the cancellation; an unknown charge is CHARGE_NOT_FOUND', async (t) => {
  const { fake, token, call } = await startFake(t);
  const { chargeId } = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'sub:1', amount: 100, subscriptionPeriod: 2_592_000, isRecurring: true, isFirstRecurring: true });
  assert.deepEqual((await call('editUserStarSubscription', { user_id: ANN.id, telegram_payment_charge_id: chargeId, is_canceled: true })).body, { ok: true, result: true });
  assert.equal(fake.starCharges(token)[0]?.subscriptionCanceled, true);
  await call('editUserStarSubscription', { user_id: ANN.id, telegram_payment_charge_id: chargeId, is_canceled: false });
  assert.equal(fake.starCharges(token)[0]?.subscriptionCanceled, false);
  const unknown = await call('editUserStarSubscription', { user_id: ANN.id, telegram_payment_charge_id: 'stxUnknown', is_canceled: true });
  assert.equal((unknown.body as { description: string }).description, 'Bad Request: CHARGE_NOT_FOUND');
  assert.equal(fake.calls({ method: 'editUserStarSubscription' }).length, 3, 'every call is recorded');
});

test('pushRefundedPayment sends refunded_payment and marks the charge refunded (a second refund is refused)', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  const { chargeId, updateId } = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'order:9', amount: 75 });
  const refundUpdate = fake.pushRefundedPayment(token, { chargeId });
  const message = (await takeUpdates(fixture, { offset: updateId + 1 })).find((u) => u.update_id === refundUpdate)?.message;
  assert.equal(message?.chat.id, ANN.id);
  assert.deepEqual(message?.refunded_payment, { currency: 'XTR', total_amount: 75, invoice_payload: 'order:9', telegram_payment_charge_id: chargeId });
  assert.equal(fake.starCharges(token)[0]?.refunded, true);
  assert.equal(fake.starTransactions(token).at(-1)?.receiver?.type, 'user');
  assert.equal((await call('refundStarPayment', { user_id: ANN.id, telegram_payment_charge_id: chargeId })).status, 400);
  assert.throws(() => fake.pushRefundedPayment(token, { chargeId: 'stxNope' }), /no charge has id/);
});
