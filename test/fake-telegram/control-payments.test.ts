/** The payment and chat controls over HTTP, as the e2e tests drive a fake in another process. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatInviteLink, Update } from 'grammy/types';
import { callBotApi, callControl } from './client.js';
import type { PayResult, StarCharge } from './payment-types.js';
import { createFakeTelegram } from './server.js';

const TOKEN = '535353:control-payments-token';
const USER = { id: 9001, first_name: 'Nia' };

test('over HTTP: pay waits for the bot\'s answer; starCharges and deliverSuccessfulPayment', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const api = (method: string, params: Record<string, unknown> = {}) => callBotApi(fake.apiRoot, TOKEN, method, params);
  await callControl(fake.apiRoot, 'addBot', { token: TOKEN });
  await api('createInvoiceLink', { title: 'Gold', description: 'Gold', payload: 'order:1', currency: 'XTR', prices: [{ label: 'Gold', amount: 10 }] });

  const paying = callControl(fake.apiRoot, 'pay', { token: TOKEN, user: USER, invoice: 'last', answerTimeoutMs: 1500 }) as Promise<PayResult>;
  const { body } = await api('getUpdates', { timeout: 1 });
  const query = (body as { result: Update[] }).result[0]?.pre_checkout_query;
  assert.ok(query);
  await api('answerPreCheckoutQuery', { pre_checkout_query_id: query.id, ok: true });
  const result = await paying;
  assert.equal(result.outcome, 'paid');

  const charges = (await callControl(fake.apiRoot, 'starCharges', { token: TOKEN })) as StarCharge[];
  assert.deepEqual(charges.map((c) => c.chargeId), [result.chargeId]);
  const again = (await callControl(fake.apiRoot, 'deliverSuccessfulPayment', { token: TOKEN, user: USER, chargeId: result.chargeId })) as { chargeId: string };
  assert.equal(again.chargeId, result.chargeId);
  await assert.rejects(callControl(fake.apiRoot, 'pay', { token: TOKEN, invoice: 'last' }), /user: expected an object/);
});

test('over HTTP: addChat, requestJoin, memberStatus, chatEvents, setBotRights', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  await callControl(fake.apiRoot, 'addBot', { token: TOKEN });
  await callControl(fake.apiRoot, 'addChat', { token: TOKEN, id: -1009, type: 'supergroup', title: 'Club' });
  const link = ((await callBotApi(fake.apiRoot, TOKEN, 'createChatInviteLink', { chat_id: -1009, creates_join_request: true })).body as { result: ChatInviteLink }).result;
  const updateId = await callControl(fake.apiRoot, 'requestJoin', { token: TOKEN, user: USER, chatId: -1009, inviteLink: link.invite_link });
  assert.equal(typeof updateId, 'number');
  await callBotApi(fake.apiRoot, TOKEN, 'approveChatJoinRequest', { chat_id: -1009, user_id: USER.id });
  assert.equal(await callControl(fake.apiRoot, 'memberStatus', { token: TOKEN, chatId: -1009, userId: USER.id }), 'member');
  assert.deepEqual(await callControl(fake.apiRoot, 'chatEvents', { token: TOKEN, chatId: -1009 }), [
    { type: 'createInviteLink', inviteLink: link.invite_link }, { type: 'approve', userId: USER.id },
  ]);
  assert.equal(typeof (await callControl(fake.apiRoot, 'setBotRights', { token: TOKEN, chatId: -1009, rights: { status: 'member' } })), 'number');
  assert.equal(await callControl(fake.apiRoot, 'setBotRights', { token: TOKEN, chatId: -1009, rights: { status: 'member' } }), null);
  await assert.rejects(callControl(fake.apiRoot, 'addChat', { token: TOKEN, id: 5, type: 'channel', title: 'x' }), /negative integer/);
});
