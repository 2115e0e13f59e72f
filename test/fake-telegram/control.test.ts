/** The control endpoint: driving the fake over HTTP, as another process would. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Update } from 'grammy/types';
import { callBotApi, callControl } from './client.js';
import { createFakeTelegram } from './server.js';
import type { RecordedCall } from './types.js';

const TOKEN = '424242:control-test-token';

test('over HTTP: addBot, pushUpdate, then getUpdates sees the update; calls and clearCalls', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const me = (await callControl(fake.apiRoot, 'addBot', { token: TOKEN, username: 'control_bot' })) as { id: number };
  assert.equal(me.id, 424242);

  const updateId = await callControl(fake.apiRoot, 'pushUpdate', {
    token: TOKEN,
    update: { message: { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'Five' }, text: 'pushed' } },
  });
  const sent = await callControl(fake.apiRoot, 'userSends', { token: TOKEN, user: { id: 6, first_name: 'Six' }, text: '/help' });
  assert.equal(sent, (updateId as number) + 1);
  assert.equal(await callControl(fake.apiRoot, 'pendingUpdates', { token: TOKEN }), 2);

  const { body } = await callBotApi(fake.apiRoot, TOKEN, 'getUpdates', { timeout: 1 });
  const updates = (body as { result: Update[] }).result;
  assert.deepEqual(updates.map((u) => u.message?.text), ['pushed', '/help']);

  const calls = (await callControl(fake.apiRoot, 'calls', { method: 'getUpdates' })) as RecordedCall[];
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.status, 200);
  assert.equal(await callControl(fake.apiRoot, 'getUpdatesCount', { token: TOKEN }), 1);
  assert.equal(await callControl(fake.apiRoot, 'clearCalls'), true);
  assert.deepEqual(fake.calls(), []);
});

test('over HTTP: failNext, setLatency, blockUser; bad bodies and unknown actions are refused', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  await callControl(fake.apiRoot, 'addBot', { token: TOKEN });
  await callControl(fake.apiRoot, 'failNext', { method: 'getMe', errorCode: 429, retryAfter: 2 });
  assert.equal((await callBotApi(fake.apiRoot, TOKEN, 'getMe')).status, 429);
  await callControl(fake.apiRoot, 'blockUser', { token: TOKEN, userId: 77 });
  assert.equal((await callBotApi(fake.apiRoot, TOKEN, 'sendMessage', { chat_id: 77, text: 'x' })).status, 403);

  await assert.rejects(callControl(fake.apiRoot, 'blockUser', { token: TOKEN, userId: 'seventy' }), /userId: expected an integer, got "seventy"/);
  await assert.rejects(callControl(fake.apiRoot, 'pushUpdate', { token: 'nobody:x', update: {} }), /no bot has that token/);
  const unknown = await fetch(`${fake.apiRoot}/_control/explode`, { method: 'POST', body: '{}' });
  assert.equal(unknown.status, 404);
});
