/** The pay flow: pre_checkout_query, the bot's answer, the charge and its successful_payment. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreCheckoutQuery, SuccessfulPayment } from 'grammy/types';
import { ANN, resultOf, startFake, takeUpdates, type FakeFixture } from './fixture.js';

const INVOICE = { title: 'Gold', description: 'Gold channel, 30 days', payload: 'order:42', currency: 'XTR', prices: [{ label: 'Gold', amount: 250 }] };

/** The bot's side: the pre_checkout_query waiting in the queue, and the offset after it. */
async function nextQuery(fixture: FakeFixture, offset = 0): Promise<{ query: PreCheckoutQuery; offset: number }> {
  const update = (await takeUpdates(fixture, { offset })).find((u) => u.pre_checkout_query);
  assert.ok(update?.pre_checkout_query, 'a pre_checkout_query update');
  return { query: update.pre_checkout_query, offset: update.update_id + 1 };
}

async function nextPayment(fixture: FakeFixture, offset: number): Promise<SuccessfulPayment | undefined> {
  return (await takeUpdates(fixture, { offset, timeout: 0 })).find((u) => u.message?.successful_payment)?.message?.successful_payment;
}

test('pay: answered ok → a charge in the ledger and a successful_payment from the user', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  await call('sendInvoice', { chat_id: ANN.id, ...INVOICE });
  const paying = fake.pay(token, { user: ANN, invoice: { payload: 'order:42' } });

  const { query, offset } = await nextQuery(fixture);
  assert.deepEqual({ ...query, id: 'x' }, {
    id: 'x', from: { id: ANN.id, is_bot: false, first_name: 'Ann', username: 'ann', language_code: 'en' },
    currency: 'XTR', total_amount: 250, invoice_payload: 'order:42',
  });
  assert.match(query.id, /^\d+$/);
  assert.deepEqual((await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true })).body, { ok: true, result: true });
  const result = await paying;
  assert.equal(result.outcome, 'paid');
  assert.equal(result.preCheckoutQueryId, query.id);
  assert.match(result.chargeId ?? '', /^stx[\w-]{30,}$/);
  assert.ok((result.answerMs ?? Infinity) < 1000, `answered in ${result.answerMs} ms`);

  const update = (await takeUpdates(fixture, { offset })).find((u) => u.update_id === result.paymentUpdateId);
  assert.equal(update?.message?.from?.id, ANN.id);
  assert.equal(update?.message?.chat.id, ANN.id);
  assert.deepEqual(update?.message?.successful_payment, {
    currency: 'XTR', total_amount: 250, invoice_payload: 'order:42',
    telegram_payment_charge_id: result.chargeId, provider_payment_charge_id: '',
  });
  const [charge] = fake.starCharges(token);
  assert.equal(charge?.chargeId, result.chargeId);
  assert.deepEqual([charge?.amount, charge?.payload, charge?.user.id, charge?.deliveries, charge?.held, charge?.refunded], [250, 'order:42', ANN.id, 1, false, false]);
  assert.equal(fake.preCheckoutQueries(token)[0]?.ok, true);
});

test('pay: a declined answer makes no charge; a second answer to the same query is too old', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  await call('createInvoiceLink', INVOICE);
  const paying = fake.pay(token, { user: ANN, invoice: 'last' });
  const { query, offset } = await nextQuery(fixture);

  const missing = await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: false });
  assert.equal((missing.body as { description: string }).description, 'Bad Request: parameter "error_message" is required');
  assert.equal((await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: false, error_message: 'Sold out' })).status, 200);
  const result = await paying;
  assert.deepEqual([result.outcome, result.preCheckoutQueryId, result.errorMessage, result.chargeId], ['declined', query.id, 'Sold out', undefined]);
  const again = await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true });
  assert.equal(again.status, 400);
  assert.equal((again.body as { description: string }).description, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
  assert.equal((await call('answerPreCheckoutQuery', { pre_checkout_query_id: '12345', ok: true })).status, 400, 'unknown id');
  assert.deepEqual(fake.starCharges(token), []);
  assert.equal(await nextPayment(fixture, offset), undefined);
});

test('pay: no answer within answerTimeoutMs → timeout, no charge, and a late answer is refused', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  await call('createInvoiceLink', INVOICE);
  const result = await fake.pay(token, { user: ANN, invoice: 'last', answerTimeoutMs: 80 });
  assert.equal(result.outcome, 'timeout');
  assert.equal(result.chargeId, undefined);
  const late = await call('answerPreCheckoutQuery', { pre_checkout_query_id: result.preCheckoutQueryId, ok: true });
  assert.equal(late.status, 400);
  assert.deepEqual(fake.starCharges(token), []);
  assert.equal(fake.preCheckoutQueries(token)[0]?.expired, true);
});

test('pay with deliverPayment: false holds the update back; deliverHeldPayment pushes it later', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  await call('sendInvoice', { chat_id: ANN.id, ...INVOICE });
  const paying = fake.pay(token, { user: ANN, invoice: 'last', deliverPayment: false });
  const { query, offset } = await nextQuery(fixture);
  await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true });
  const result = await paying;
  assert.equal(result.outcome, 'paid');
  assert.equal(result.paymentUpdateId, undefined);
  assert.equal(await nextPayment(fixture, offset), undefined, 'the bot sees nothing');
  assert.deepEqual(fake.starCharges(token).map((c) => [c.chargeId, c.held, c.deliveries]), [[result.chargeId, true, 0]]);
  assert.equal(fake.starTransactions(token).length, 1, 'Telegram has the money');

  fake.deliverHeldPayment(token, result.chargeId!);
  assert.equal((await nextPayment(fixture, offset))?.telegram_payment_charge_id, result.chargeId);
  assert.throws(() => fake.deliverHeldPayment(token, result.chargeId!), /no held-back payment/);
});

test('tampering: overrideQuery and sendPreCheckout send the fields the test chose', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  await call('sendInvoice', { chat_id: ANN.id, ...INVOICE });
  const paying = fake.pay(token, { user: ANN, invoice: 'last', overrideQuery: { total_amount: 1 } });
  const first = await nextQuery(fixture);
  assert.equal(first.query.total_amount, 1);
  await call('answerPreCheckoutQuery', { pre_checkout_query_id: first.query.id, ok: false, error_message: 'Price changed' });
  assert.equal((await paying).outcome, 'declined');

  const raw = fake.sendPreCheckout(token, { user: ANN, currency: 'USD', total_amount: 250, invoice_payload: 'nope' });
  const second = await nextQuery(fixture, first.offset);
  assert.deepEqual([second.query.currency, second.query.invoice_payload], ['USD', 'nope']);
  await call('answerPreCheckoutQuery', { pre_checkout_query_id: second.query.id, ok: false, error_message: 'Unknown order' });
  const answer = await raw;
  assert.deepEqual([answer.queryId, answer.updateId, answer.ok, answer.timedOut, answer.errorMessage], [second.query.id, second.offset - 1, false, false, 'Unknown order']);
  assert.deepEqual(fake.starCharges(token), []);
});

test('deliverSuccessfulPayment: the same charge twice, and a recurring renewal with a new charge', async (t) => {
  const fixture = await startFake(t);
  const { fake, token } = fixture;
  const first = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'sub:7', amount: 100, subscriptionPeriod: 2_592_000, isFirstRecurring: true, isRecurring: true, subscriptionExpirationDate: 1_900_000_000 });
  const duplicate = fake.deliverSuccessfulPayment(token, { user: ANN, chargeId: first.chargeId });
  const renewal = fake.deliverSuccessfulPayment(token, { user: ANN, payload: 'sub:7', amount: 100, isRecurring: true, subscriptionExpirationDate: 1_902_592_000 });
  assert.equal(duplicate.chargeId, first.chargeId);
  assert.notEqual(renewal.chargeId, first.chargeId);

  const payments = (await takeUpdates(fixture)).map((u) => u.message?.successful_payment);
  assert.deepEqual(payments.map((p) => [p?.telegram_payment_charge_id, p?.is_recurring, p?.is_first_recurring, p?.subscription_expiration_date]), [
    [first.chargeId, true, true, 1_900_000_000],
    [first.chargeId, true, true, 1_900_000_000],
    [renewal.chargeId, true, undefined, 1_902_592_000],
  ]);
  assert.deepEqual(fake.starCharges(token).map((c) => [c.chargeId, c.deliveries]), [[first.chargeId, 2], [renewal.chargeId, 1]]);
  assert.throws(() => fake.deliverSuccessfulPayment(token, { user: ANN }), /needs payload and amount/);
  await assert.rejects(fake.pay(token, { user: ANN, invoice: { payload: 'never-sent' } }), /no invoice matches/);
});

test('pay on a subscription link: the first payment carries the period and its expiration', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  const link = resultOf<string>(await call('createInvoiceLink', { ...INVOICE, subscription_period: 2_592_000 }));
  const paying = fake.pay(token, { user: ANN, invoice: { link } });
  const { query, offset } = await nextQuery(fixture);
  await call('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true });
  const result = await paying;
  const payment = await nextPayment(fixture, offset);
  const charge = fake.starCharges(token)[0]!;
  assert.equal(payment?.is_recurring, true);
  assert.equal(payment?.is_first_recurring, true);
  assert.equal(payment?.subscription_expiration_date, charge.date + 2_592_000);
  assert.equal(charge.chargeId, result.chargeId);
  const source = fake.starTransactions(token)[0]?.source;
  assert.equal(source?.type === 'user' ? source.subscription_period : undefined, 2_592_000);
});
