/** Channels and supergroups: getChat, getChatMember, the bot's rights, ban and unban. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatFullInfo, ChatMember, ChatMemberAdministrator, ChatMemberUpdated } from 'grammy/types';
import { ANN, BOB, resultOf, startFake, takeUpdates } from './fixture.js';

const CHANNEL = { id: -1001234567890, type: 'channel', title: 'Gold Club' } as const;

test('addChat: getChat describes the channel; getChatMember shows the bot as an administrator with both rights', async (t) => {
  const { fake, token, botId, call } = await startFake(t);
  fake.addChat(token, { ...CHANNEL, username: 'goldclub' });
  const chat = resultOf<ChatFullInfo>(await call('getChat', { chat_id: CHANNEL.id }));
  assert.deepEqual([chat.id, chat.type, chat.title, chat.username], [CHANNEL.id, 'channel', 'Gold Club', 'goldclub']);
  assert.equal(resultOf<ChatFullInfo>(await call('getChat', { chat_id: '@goldclub' })).id, CHANNEL.id);
  assert.equal(((await call('getChat', { chat_id: -100999 })).body as { description: string }).description, 'Bad Request: chat not found');

  const me = resultOf<ChatMemberAdministrator>(await call('getChatMember', { chat_id: CHANNEL.id, user_id: botId }));
  assert.equal(me.status, 'administrator');
  assert.equal(me.user.id, botId);
  assert.equal(me.can_invite_users, true);
  assert.equal(me.can_restrict_members, true);
  assert.equal(me.can_post_messages, false);
  const ann = resultOf<ChatMember>(await call('getChatMember', { chat_id: CHANNEL.id, user_id: ANN.id }));
  assert.deepEqual(ann, { status: 'left', user: { id: ANN.id, is_bot: false, first_name: `User ${ANN.id}` } }, 'never seen: a stand-in user');
  assert.equal(((await call('getChatMember', { chat_id: CHANNEL.id, user_id: 'x' })).body as { description: string }).description, 'Bad Request: invalid user_id specified');
});

test('setBotRights pushes my_chat_member with the old and new member, only when something changed', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, botId, call } = fixture;
  fake.addChat(token, CHANNEL);
  const updateId = fake.setBotRights(token, CHANNEL.id, { status: 'administrator', can_invite_users: true, can_restrict_members: false });
  assert.equal(typeof updateId, 'number');
  assert.equal(fake.setBotRights(token, CHANNEL.id, { status: 'administrator', can_invite_users: true, can_restrict_members: false }), undefined);
  fake.setBotRights(token, CHANNEL.id, { status: 'left' }, { by: BOB });

  const changes = (await takeUpdates(fixture)).map((u) => u.my_chat_member as ChatMemberUpdated);
  assert.equal(changes.length, 2);
  const [demoted, removed] = changes;
  assert.equal(demoted?.chat.id, CHANNEL.id);
  assert.equal(demoted?.from.first_name, 'Chat Owner');
  assert.equal((demoted?.old_chat_member as ChatMemberAdministrator).can_restrict_members, true);
  assert.equal((demoted?.new_chat_member as ChatMemberAdministrator).can_restrict_members, false);
  assert.deepEqual([removed?.from.id, removed?.old_chat_member.status, removed?.new_chat_member.status, removed?.new_chat_member.user.id], [BOB.id, 'administrator', 'left', botId]);
  assert.equal(resultOf<ChatMember>(await call('getChatMember', { chat_id: CHANNEL.id, user_id: botId })).status, 'left');
  assert.equal(fake.memberStatus(token, CHANNEL.id, botId), 'left');
  const refused = await call('banChatMember', { chat_id: CHANNEL.id, user_id: ANN.id });
  assert.deepEqual(refused.body, { ok: false, error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' });
});

test('banChatMember and unbanChatMember: kicked, then left; only_if_banned leaves a member alone', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, call } = fixture;
  fake.addChat(token, CHANNEL);
  fake.setMember(token, { chatId: CHANNEL.id, user: ANN, status: 'member' });
  fake.setMember(token, { chatId: CHANNEL.id, user: BOB, status: 'member' });

  assert.deepEqual((await call('banChatMember', { chat_id: CHANNEL.id, user_id: ANN.id })).body, { ok: true, result: true });
  assert.deepEqual(resultOf<ChatMember>(await call('getChatMember', { chat_id: CHANNEL.id, user_id: ANN.id })), {
    status: 'kicked', user: { id: ANN.id, is_bot: false, first_name: 'Ann', username: 'ann', language_code: 'en' }, until_date: 0,
  });
  await call('unbanChatMember', { chat_id: CHANNEL.id, user_id: ANN.id, only_if_banned: true });
  assert.equal(fake.memberStatus(token, CHANNEL.id, ANN.id), 'left');
  await call('unbanChatMember', { chat_id: CHANNEL.id, user_id: BOB.id, only_if_banned: true });
  assert.equal(fake.memberStatus(token, CHANNEL.id, BOB.id), 'member', 'not banned: no change');
  await call('unbanChatMember', { chat_id: CHANNEL.id, user_id: BOB.id });
  assert.equal(fake.memberStatus(token, CHANNEL.id, BOB.id), 'left', 'without only_if_banned a member is removed');

  const soon = Math.floor(Date.now() / 1000) + 3600;
  await call('banChatMember', { chat_id: CHANNEL.id, user_id: BOB.id, until_date: soon, revoke_messages: true });
  assert.equal((resultOf<ChatMember>(await call('getChatMember', { chat_id: CHANNEL.id, user_id: BOB.id })) as { until_date: number }).until_date, soon);
  assert.deepEqual(fake.chatEvents(token, CHANNEL.id), [
    { type: 'ban', userId: ANN.id },
    { type: 'unban', userId: ANN.id, onlyIfBanned: true },
    { type: 'unban', userId: BOB.id, onlyIfBanned: true },
    { type: 'unban', userId: BOB.id, onlyIfBanned: false },
    { type: 'ban', userId: BOB.id, untilDate: soon, revokeMessages: true },
  ]);
  const members = (await takeUpdates(fixture, { allowed_updates: ['chat_member'] })).map((u) => u.chat_member);
  assert.deepEqual(members.map((m) => [m?.new_chat_member.user.id, m?.old_chat_member.status, m?.new_chat_member.status]), [
    [ANN.id, 'member', 'kicked'], [ANN.id, 'kicked', 'left'], [BOB.id, 'member', 'left'], [BOB.id, 'left', 'kicked'],
  ], 'a chat_member update per change, for a bot that asks for them');
});

test('ban without can_restrict_members is refused; the owner cannot be removed', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.addChat(token, { ...CHANNEL, botRights: { status: 'administrator', can_restrict_members: false } });
  const description = async (method: string, params: Record<string, unknown>) => ((await call(method, params)).body as { description?: string }).description;
  assert.equal(await description('banChatMember', { chat_id: CHANNEL.id, user_id: ANN.id }), 'Bad Request: not enough rights to restrict/unrestrict chat member');
  assert.equal(await description('unbanChatMember', { chat_id: CHANNEL.id, user_id: ANN.id }), 'Bad Request: not enough rights to restrict/unrestrict chat member');
  fake.setBotRights(token, CHANNEL.id, { status: 'administrator' });
  assert.equal(await description('banChatMember', { chat_id: CHANNEL.id, user_id: 100_000_001 }), "Bad Request: can't remove chat owner");
  assert.equal(await description('banChatMember', { chat_id: ANN.id, user_id: BOB.id }), "Bad Request: can't ban members in private chats");
  assert.deepEqual(fake.chatEvents(token, CHANNEL.id), []);
});

test('a user who blocked the bot: sendInvoice is 403, banChatMember is not (chat management)', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.addChat(token, CHANNEL);
  fake.setMember(token, { chatId: CHANNEL.id, user: ANN, status: 'member' });
  fake.blockUser(token, ANN.id);
  const invoice = { title: 'Gold', description: 'Gold', payload: 'p', currency: 'XTR', prices: [{ label: 'Gold', amount: 5 }] };
  assert.equal((await call('sendInvoice', { chat_id: ANN.id, ...invoice })).status, 403);
  assert.equal((await call('banChatMember', { chat_id: CHANNEL.id, user_id: ANN.id })).status, 200);
  assert.equal((await call('unbanChatMember', { chat_id: CHANNEL.id, user_id: ANN.id, only_if_banned: true })).status, 200);
  fake.setRateLimit({ perSecond: 1, perChatPerSecond: 1 });
  for (let i = 0; i < 3; i++) assert.equal((await call('getChatMember', { chat_id: CHANNEL.id, user_id: ANN.id })).status, 200, 'not rate limited');
});
