/** The payment and join-request flows against the real client: a grammY bot sells, is paid, and lets the buyer in. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot } from 'grammy';
import { ANN, startFake } from './fixture.js';

const CHANNEL_ID = -1005550001;

test('a grammY bot: sendInvoice, answers the pre-checkout query, gets paid, approves the join request', async (t) => {
  const { fake, token } = await startFake(t);
  fake.addChat(token, { id: CHANNEL_ID, type: 'channel', title: 'Gold Club' });
  const bot = new Bot(token, { client: { apiRoot: fake.apiRoot } });
  bot.command('buy', (ctx) => ctx.replyWithInvoice('Gold', 'Gold channel, 30 days', 'order:7', 'XTR', [{ label: 'Gold', amount: 50 }]));
  bot.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(ctx.preCheckoutQuery.invoice_payload === 'order:7'));
  bot.on('message:successful_payment', async (ctx) => {
    const link = await ctx.api.createChatInviteLink(CHANNEL_ID, { name: 'order:7', creates_join_request: true });
    await ctx.reply(`Paid. Join: ${link.invite_link}`);
  });
  bot.on('chat_join_request', (ctx) => ctx.approveChatJoinRequest(ctx.from.id));
  const running = bot.start({ timeout: 10 });

  await fake.waitForCall({ method: 'getUpdates', token }, 1500);
  fake.userSends(token, { user: ANN, text: '/buy' });
  await fake.waitForCall({ method: 'sendInvoice', status: 200 }, 1500);
  const result = await fake.pay(token, { user: ANN, invoice: 'last', answerTimeoutMs: 1500 });
  assert.equal(result.outcome, 'paid');
  assert.ok((result.answerMs ?? Infinity) < 1000);

  const reply = await fake.waitForCall((call) => call.method === 'sendMessage' && String(call.params['text']).startsWith('Paid'), 1500);
  const inviteLink = String(reply.params['text']).replace('Paid. Join: ', '');
  fake.requestJoin(token, { user: ANN, chatId: CHANNEL_ID, inviteLink });
  await fake.waitForCall({ method: 'approveChatJoinRequest', status: 200 }, 1500);
  assert.equal(fake.memberStatus(token, CHANNEL_ID, ANN.id), 'member');
  assert.deepEqual(fake.starCharges(token).map((c) => [c.payload, c.amount, c.user.id]), [['order:7', 50, ANN.id]]);

  await bot.stop();
  await running;
});

test('fake.close() ends a pay that is still waiting for its answer', async (t) => {
  const { fake, token, call } = await startFake(t);
  await call('createInvoiceLink', { title: 'Gold', description: 'Gold', payload: 'p', currency: 'XTR', prices: [{ label: 'Gold', amount: 1 }] });
  const paying = fake.pay(token, { user: ANN, invoice: 'last' });
  const started = Date.now();
  await fake.close();
  await assert.rejects(paying, /closed while waiting for answerPreCheckoutQuery/);
  assert.ok(Date.now() - started < 500);
});
