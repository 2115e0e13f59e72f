/** Sending methods: results, validation with Telegram's wording, 403 for blocked users. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from 'grammy/types';
import { ANN, startFake } from './fixture.js';

const KEYBOARD = { inline_keyboard: [[{ text: 'Buy', callback_data: 'buy:1' }]] };

test('sendMessage returns a Message from the bot with ids increasing per chat', async (t) => {
  const { fake, token, botId, call } = await startFake(t);
  fake.userSends(token, { user: ANN, text: '/start' });
  const first = await call('sendMessage', { chat_id: ANN.id, text: '<b>Hello</b> &amp; welcome', parse_mode: 'HTML', reply_markup: KEYBOARD });
  assert.equal(first.status, 200);
  const message = (first.body as { result: Message.TextMessage }).result;
  assert.equal(message.message_id, 2, "the user's /start was message 1");
  assert.equal(message.from?.id, botId);
  assert.equal(message.from?.is_bot, true);
  assert.deepEqual(message.chat, { id: ANN.id, type: 'private', first_name: 'Ann', username: 'ann' });
  assert.equal(message.text, 'Hello & welcome');
  assert.deepEqual(message.entities, [{ offset: 0, length: 5, type: 'bold' }]);
  assert.deepEqual(message.reply_markup, KEYBOARD);
  assert.ok(Math.abs(message.date - Date.now() / 1000) < 5);

  const other = await call('sendMessage', { chat_id: 9001, text: 'another chat', reply_markup: { remove_keyboard: true } });
  const otherMessage = (other.body as { result: Message.TextMessage }).result;
  assert.equal(otherMessage.message_id, 1);
  assert.equal(otherMessage.reply_markup, undefined, 'only inline keyboards are echoed');
  assert.deepEqual(fake.sentMessages(ANN.id).map((m) => m.message_id), [2]);
  assert.equal(fake.sentMessages().length, 2);
});

test('a user who blocked the bot: sending answers 403 until they are unblocked', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.blockUser(token, ANN.id);
  const { status, body } = await call('sendMessage', { chat_id: ANN.id, text: 'hi' });
  assert.equal(status, 403);
  assert.deepEqual(body, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  assert.equal((await call('sendChatAction', { chat_id: ANN.id, action: 'typing' })).status, 403);
  fake.unblockUser(token, ANN.id);
  assert.equal((await call('sendMessage', { chat_id: ANN.id, text: 'hi' })).status, 200);
});

test('parse_mode HTML with unbalanced or unknown tags answers 400 can\'t parse entities', async (t) => {
  const { call } = await startFake(t);
  const cases: Array<[string, string]> = [
    ['<b>bold', `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
    ['<b>x</i>', `Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`],
    ['hé <blink>x</blink>', `Bad Request: can't parse entities: Unsupported start tag "blink" at byte offset 4`],
    ['1 < 2', `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`],
    ['<span class="x">y</span>', `Bad Request: can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`],
  ];
  for (const [text, description] of cases) {
    const { status, body } = await call('sendMessage', { chat_id: 1, text, parse_mode: 'HTML' });
    assert.equal(status, 400, text);
    assert.equal((body as { description: string }).description, description);
  }
  const nested = await call('sendMessage', { chat_id: 1, text: '<pre><code class="language-ts">let a</code></pre> <a href="https://t.me">t</a>', parse_mode: 'HTML' });
  assert.deepEqual((nested.body as { result: Message.TextMessage }).result.entities, [
    { offset: 0, length: 5, type: 'pre', language: 'ts' },
    { offset: 6, length: 1, type: 'text_link', url: 'https://t.me' },
  ]);
});

test('sendMessage validation: chat_id, empty text, text over 4096, bad callback data', async (t) => {
  const { call } = await startFake(t);
  const description = async (params: Record<string, unknown>) => ((await call('sendMessage', params)).body as { description?: string }).description;
  assert.equal(await description({ text: 'x' }), 'Bad Request: chat_id is empty');
  assert.equal(await description({ chat_id: 1 }), 'Bad Request: message text is empty');
  assert.equal(await description({ chat_id: 1, text: '<b></b>', parse_mode: 'HTML' }), 'Bad Request: message text is empty');
  assert.equal(await description({ chat_id: 1, text: 'x'.repeat(4097) }), 'Bad Request: message is too long');
  assert.equal(await description({ chat_id: 1, text: `<b>${'x'.repeat(4096)}</b>`, parse_mode: 'HTML' }), undefined, '4096 after parsing is fine');
  assert.equal(await description({ chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'd'.repeat(65) }]] } }), 'Bad Request: BUTTON_DATA_INVALID');
});

test('editMessageText, editMessageReplyMarkup and deleteMessage act on stored messages', async (t) => {
  const { call } = await startFake(t);
  const sent = ((await call('sendMessage', { chat_id: 7, text: 'v1', reply_markup: KEYBOARD })).body as { result: Message }).result;
  const same = await call('editMessageText', { chat_id: 7, message_id: sent.message_id, text: 'v1', reply_markup: KEYBOARD });
  assert.equal(same.status, 400);
  assert.match((same.body as { description: string }).description, /^Bad Request: message is not modified/);
  const edited = await call('editMessageText', { chat_id: 7, message_id: sent.message_id, text: 'v2' });
  const editedMessage = (edited.body as { result: Message.TextMessage }).result;
  assert.equal(editedMessage.text, 'v2');
  assert.equal(editedMessage.reply_markup, undefined);
  assert.equal(typeof editedMessage.edit_date, 'number');
  assert.equal((await call('editMessageReplyMarkup', { chat_id: 7, message_id: sent.message_id, reply_markup: KEYBOARD })).status, 200);
  assert.equal((await call('deleteMessage', { chat_id: 7, message_id: sent.message_id })).body.ok, true);
  const gone = await call('editMessageText', { chat_id: 7, message_id: sent.message_id, text: 'v3' });
  assert.equal((gone.body as { description: string }).description, 'Bad Request: message to edit not found');
});

test('userPresses makes a callback query that answerCallbackQuery accepts once', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.userSends(token, { user: ANN, text: '/plans' });
  const sent = ((await call('sendMessage', { chat_id: ANN.id, text: 'Plans', reply_markup: KEYBOARD })).body as { result: Message }).result;
  fake.userPresses(token, { user: ANN, data: 'buy:1' });
  const updates = ((await call('getUpdates')).body as { result: Array<{ callback_query?: { id: string; data: string; message: Message } }> }).result;
  const query = updates.at(-1)?.callback_query;
  assert.equal(query?.data, 'buy:1');
  assert.equal(query?.message.message_id, sent.message_id);
  assert.deepEqual((await call('answerCallbackQuery', { callback_query_id: query?.id })).body, { ok: true, result: true });
  const again = await call('answerCallbackQuery', { callback_query_id: query?.id });
  assert.equal(again.status, 400);
  assert.match((again.body as { description: string }).description, /query is too old/);
});

test('commands are kept per scope and language', async (t) => {
  const { call } = await startFake(t);
  const commands = [{ command: 'start', description: 'Start' }, { command: 'status', description: 'Your subscriptions' }];
  assert.equal((await call('setMyCommands', { commands })).body.ok, true);
  assert.equal((await call('setMyCommands', { commands: [{ command: 'inicio', description: 'Empezar' }], language_code: 'es' })).body.ok, true);
  assert.deepEqual((await call('getMyCommands')).body, { ok: true, result: commands });
  assert.deepEqual((await call('getMyCommands', { language_code: 'es' })).body, { ok: true, result: [{ command: 'inicio', description: 'Empezar' }] });
  assert.deepEqual((await call('getMyCommands', { scope: { type: 'all_private_chats' } })).body, { ok: true, result: [] });
  assert.equal(((await call('setMyCommands', { commands: [{ command: 'Bad Command', description: 'x' }] })).body as { description: string }).description, 'Bad Request: BOT_COMMAND_INVALID');
  await call('deleteMyCommands');
  assert.deepEqual((await call('getMyCommands')).body, { ok: true, result: [] });
});
