/** sendInvoice and createInvoiceLink: Stars rules, results, records, rate limit and 403. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from 'grammy/types';
import { ANN, resultOf, startFake } from './fixture.js';
import { INVOICE_ERRORS } from './invoice-rules.js';

const STARS_INVOICE = {
  title: 'Gold, 30 days',
  description: 'Access to the Gold channel for 30 days',
  payload: 'order:42',
  currency: 'XTR',
  prices: [{ label: 'Gold', amount: 250 }],
};

test('sendInvoice returns a Message with the invoice and records it', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, botId, call } = fixture;
  const message = resultOf<Message.InvoiceMessage>(await call('sendInvoice', { chat_id: ANN.id, ...STARS_INVOICE, provider_token: '' }));
  assert.equal(message.from?.id, botId);
  assert.equal(message.chat.id, ANN.id);
  assert.deepEqual(message.invoice, {
    title: 'Gold, 30 days', description: 'Access to the Gold channel for 30 days', start_parameter: '', currency: 'XTR', total_amount: 250,
  });
  const [record] = fake.invoices(token);
  assert.equal(record?.via, 'sendInvoice');
  assert.equal(record?.payload, 'order:42');
  assert.equal(record?.totalAmount, 250);
  assert.equal(record?.chatId, ANN.id);
  assert.equal(record?.messageId, message.message_id);
  assert.equal(record?.subscriptionPeriod, undefined);
});

test('createInvoiceLink returns a t.me/$ link and takes the 30-day subscription period for XTR only', async (t) => {
  const { fake, token, call } = await startFake(t);
  const link = resultOf<string>(await call('createInvoiceLink', { ...STARS_INVOICE, subscription_period: 2_592_000 }));
  assert.match(link, /^https:\/\/t\.me\/\$[\w-]{20}$/);
  assert.deepEqual(fake.invoices(token).map((i) => [i.via, i.link, i.subscriptionPeriod]), [['createInvoiceLink', link, 2_592_000]]);

  const description = async (method: string, params: Record<string, unknown>) => {
    const answer = await call(method, params);
    assert.equal(answer.status, 400, JSON.stringify(params));
    return (answer.body as { description: string }).description;
  };
  assert.equal(await description('createInvoiceLink', { ...STARS_INVOICE, subscription_period: 86_400 }), `Bad Request: ${INVOICE_ERRORS.subscriptionPeriod}`);
  assert.equal(
    await description('createInvoiceLink', { ...STARS_INVOICE, currency: 'EUR', provider_token: 'prov:1', subscription_period: 2_592_000 }),
    `Bad Request: ${INVOICE_ERRORS.subscriptionCurrency}`,
  );
  assert.equal(
    await description('sendInvoice', { chat_id: ANN.id, ...STARS_INVOICE, subscription_period: 2_592_000 }),
    `Bad Request: ${INVOICE_ERRORS.subscriptionNotHere}`,
  );
  assert.equal(fake.invoices(token).length, 1, 'refused invoices are not recorded');
});

test('invoice validation: each rule answers 400 with its description', async (t) => {
  const { call } = await startFake(t);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ title: '' }, INVOICE_ERRORS.titleLength],
    [{ title: 'x'.repeat(33) }, INVOICE_ERRORS.titleLength],
    [{ description: '' }, INVOICE_ERRORS.descriptionLength],
    [{ description: 'd'.repeat(256) }, INVOICE_ERRORS.descriptionLength],
    [{ payload: '' }, INVOICE_ERRORS.payload],
    [{ payload: 'é'.repeat(65) }, INVOICE_ERRORS.payload],
    [{ currency: '' }, INVOICE_ERRORS.currencyMissing],
    [{ prices: undefined }, INVOICE_ERRORS.pricesMissing],
    [{ prices: { label: 'x', amount: 1 } }, INVOICE_ERRORS.pricesNotArray],
    [{ prices: [] }, INVOICE_ERRORS.pricesEmpty],
    [{ prices: [{ label: 'x', amount: 2.5 }] }, `${INVOICE_ERRORS.priceInvalid}Field "amount" must be a valid Number`],
    [{ prices: [{ label: 'x', amount: 0 }] }, INVOICE_ERRORS.totalNotPositive],
    [{ prices: [{ label: 'x', amount: -5 }] }, INVOICE_ERRORS.totalNotPositive],
    [{ prices: [{ label: 'a', amount: 1 }, { label: 'b', amount: 2 }] }, INVOICE_ERRORS.starsInvoice],
    [{ provider_token: '284685063:TEST:abc' }, INVOICE_ERRORS.starsInvoice],
    [{ max_tip_amount: 10 }, INVOICE_ERRORS.starsInvoice],
    [{ currency: 'USD' }, INVOICE_ERRORS.providerMissing],
  ];
  for (const [change, expected] of cases) {
    for (const method of ['sendInvoice', 'createInvoiceLink']) {
      const params: Record<string, unknown> = { ...STARS_INVOICE, ...change, ...(method === 'sendInvoice' ? { chat_id: ANN.id } : {}) };
      const { status, body } = await call(method, params);
      assert.equal(status, 400, `${method} ${JSON.stringify(change)}`);
      assert.equal((body as { description: string }).description, `Bad Request: ${expected}`, `${method} ${JSON.stringify(change)}`);
    }
  }
  const boundaries = { title: 't'.repeat(32), description: 'd'.repeat(255), payload: 'p'.repeat(128) };
  assert.equal((await call('sendInvoice', { chat_id: ANN.id, ...STARS_INVOICE, ...boundaries })).status, 200, 'the limits themselves are allowed');
  const card = { ...STARS_INVOICE, currency: 'EUR', provider_token: 'prov:1', prices: [{ label: 'Item', amount: 500 }, { label: 'Discount', amount: -100 }] };
  assert.equal(resultOf<Message.InvoiceMessage>(await call('sendInvoice', { chat_id: ANN.id, ...card })).invoice.total_amount, 400);
});

test('sendInvoice is a send: 403 for a user who blocked the bot, counted by the rate limiter', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.blockUser(token, ANN.id);
  const blocked = await call('sendInvoice', { chat_id: ANN.id, ...STARS_INVOICE });
  assert.deepEqual(blocked.body, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  assert.equal((await call('createInvoiceLink', STARS_INVOICE)).status, 200, 'a link has no chat, so no 403');
  fake.unblockUser(token, ANN.id);

  fake.setRateLimit({ perSecond: 30, perChatPerSecond: 1 });
  assert.equal((await call('sendMessage', { chat_id: ANN.id, text: 'Your plans' })).status, 200);
  const limited = await call('sendInvoice', { chat_id: ANN.id, ...STARS_INVOICE });
  assert.equal(limited.status, 429, 'the second send to the chat within a second');
  assert.ok(((limited.body as { parameters?: { retry_after?: number } }).parameters?.retry_after ?? 0) >= 1);
  assert.equal((await call('sendInvoice', { chat_id: 7001, ...STARS_INVOICE })).status, 200, 'another chat is free');
  fake.setRateLimit({ perSecond: 1 });
  assert.equal((await call('sendInvoice', { chat_id: 7002, ...STARS_INVOICE })).status, 200);
  assert.equal((await call('sendInvoice', { chat_id: 7003, ...STARS_INVOICE })).status, 429, 'the global limit counts invoices');
  assert.equal((await call('createInvoiceLink', STARS_INVOICE)).status, 200, 'createInvoiceLink is not a send');
});

test('inline keyboards are checked on sends: callback_data up to 64 bytes, url must be http(s) or tg', async (t) => {
  const { call } = await startFake(t);
  const send = (button: Record<string, unknown>) => call('sendMessage', { chat_id: ANN.id, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', ...button }]] } });
  assert.equal((await send({ callback_data: 'é'.repeat(32) })).status, 200, '64 bytes');
  assert.equal(((await send({ callback_data: 'é'.repeat(33) })).body as { description: string }).description, 'Bad Request: BUTTON_DATA_INVALID');
  assert.equal((await send({ url: 'https://t.me/+abc' })).status, 200);
  assert.match(((await send({ url: 'javascript:alert(1)' })).body as { description: string }).description, /Wrong HTTP URL/);
  assert.match(((await send({})).body as { description: string }).description, /Text buttons are unallowed/);
});
