/** Invite links and join requests. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatInviteLink } from 'grammy/types';
import { ANN, BOB, resultOf, startFake, takeUpdates } from './fixture.js';
import { INVITE_ERRORS } from './methods-invites.js';

const CHANNEL = { id: -1001234567890, type: 'channel', title: 'Gold Club' } as const;

test('createChatInviteLink returns the bot\'s link; revokeChatInviteLink marks it revoked', async (t) => {
  const { fake, token, botId, call } = await startFake(t);
  fake.addChat(token, CHANNEL);
  const expireDate = Math.floor(Date.now() / 1000) + 3600;
  const link = resultOf<ChatInviteLink>(await call('createChatInviteLink', {
    chat_id: CHANNEL.id, name: 'order 42 for Ann, Gold plan, 30 days', expire_date: expireDate, creates_join_request: true,
  }));
  assert.match(link.invite_link, /^https:\/\/t\.me\/\+[\w-]{16}$/);
  assert.deepEqual({ ...link, invite_link: 'x' }, {
    invite_link: 'x', creator: { id: botId, is_bot: true, first_name: 'Fixture', username: `fixture_${botId}_bot` },
    creates_join_request: true, is_primary: false, is_revoked: false, name: 'order 42 for Ann, Gold plan, 30 ', expire_date: expireDate,
  }, 'the name is cut to 32 characters, as TDLib does');
  const limited = resultOf<ChatInviteLink>(await call('createChatInviteLink', { chat_id: CHANNEL.id, member_limit: 1 }));
  assert.equal(limited.member_limit, 1);

  const revoked = resultOf<ChatInviteLink>(await call('revokeChatInviteLink', { chat_id: CHANNEL.id, invite_link: link.invite_link }));
  assert.equal(revoked.is_revoked, true);
  assert.equal(fake.inviteLinks(token, CHANNEL.id).find((l) => l.invite_link === link.invite_link)?.is_revoked, true);
  const unknown = await call('revokeChatInviteLink', { chat_id: CHANNEL.id, invite_link: 'https://t.me/+nope' });
  assert.equal((unknown.body as { description: string }).description, `Bad Request: ${INVITE_ERRORS.linkUnknown}`);
  assert.deepEqual(fake.chatEvents(token, CHANNEL.id).map((e) => e.type), ['createInviteLink', 'createInviteLink', 'revokeInviteLink']);
});

test('createChatInviteLink rules: member_limit with creates_join_request, rights, dates, limits, private chats', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.addChat(token, CHANNEL);
  const description = async (params: Record<string, unknown>) => ((await call('createChatInviteLink', params)).body as { description?: string }).description;
  assert.equal(await description({ chat_id: CHANNEL.id, member_limit: 5, creates_join_request: true }), `Bad Request: ${INVITE_ERRORS.limitWithApproval}`);
  assert.equal(await description({ chat_id: CHANNEL.id, expire_date: 1 }), `Bad Request: ${INVITE_ERRORS.expireDate}`);
  assert.equal(await description({ chat_id: CHANNEL.id, member_limit: 100_000 }), `Bad Request: ${INVITE_ERRORS.usageLimit}`);
  assert.equal(await description({ chat_id: CHANNEL.id, member_limit: 99_999 }), undefined);
  assert.equal(await description({ chat_id: ANN.id }), `Bad Request: ${INVITE_ERRORS.privateChat}`);
  assert.equal(await description({ chat_id: -100777 }), 'Bad Request: chat not found');
  assert.equal(await description({}), 'Bad Request: chat_id is empty');

  fake.setBotRights(token, CHANNEL.id, { status: 'administrator', can_invite_users: false });
  assert.equal(await description({ chat_id: CHANNEL.id, creates_join_request: true }), 'Bad Request: not enough rights to manage chat invite link');
  fake.setBotRights(token, CHANNEL.id, { status: 'member' });
  assert.equal(await description({ chat_id: CHANNEL.id }), 'Bad Request: not enough rights to manage chat invite link');
  fake.setBotRights(token, CHANNEL.id, { status: 'kicked' });
  assert.equal(await description({ chat_id: CHANNEL.id }), 'Forbidden: bot was kicked from the channel chat');
});

test('a join request through the link: approve makes a member (chat_member update), decline does not', async (t) => {
  const fixture = await startFake(t);
  const { fake, token, botId, call } = fixture;
  fake.addChat(token, CHANNEL);
  const link = resultOf<ChatInviteLink>(await call('createChatInviteLink', { chat_id: CHANNEL.id, creates_join_request: true }));
  const annRequest = fake.requestJoin(token, { user: ANN, chatId: CHANNEL.id, inviteLink: link.invite_link });
  fake.requestJoin(token, { user: BOB, chatId: CHANNEL.id, inviteLink: link.invite_link, bio: 'hi' });

  const requests = (await takeUpdates(fixture)).map((u) => u.chat_join_request);
  assert.equal(requests.length, 2);
  assert.deepEqual({ ...requests[0], date: 0 }, {
    chat: { id: CHANNEL.id, type: 'channel', title: 'Gold Club' },
    from: { id: ANN.id, is_bot: false, first_name: 'Ann', username: 'ann', language_code: 'en' },
    user_chat_id: ANN.id, date: 0, invite_link: link,
  });
  assert.equal(requests[1]?.bio, 'hi');

  assert.deepEqual((await call('approveChatJoinRequest', { chat_id: CHANNEL.id, user_id: ANN.id })).body, { ok: true, result: true });
  assert.deepEqual((await call('declineChatJoinRequest', { chat_id: CHANNEL.id, user_id: BOB.id })).body, { ok: true, result: true });
  assert.equal(fake.memberStatus(token, CHANNEL.id, ANN.id), 'member');
  assert.equal(fake.memberStatus(token, CHANNEL.id, BOB.id), 'left');
  for (const method of ['approveChatJoinRequest', 'declineChatJoinRequest']) {
    const again = await call(method, { chat_id: CHANNEL.id, user_id: ANN.id });
    assert.equal((again.body as { description: string }).description, 'Bad Request: HIDE_REQUESTER_MISSING', method);
  }

  const joined = (await takeUpdates(fixture, { offset: annRequest + 2, allowed_updates: ['chat_member'] })).map((u) => u.chat_member);
  assert.equal(joined.length, 1);
  assert.deepEqual([joined[0]?.from.id, joined[0]?.old_chat_member.status, joined[0]?.new_chat_member.status, joined[0]?.invite_link?.invite_link], [
    botId, 'left', 'member', link.invite_link,
  ]);
  assert.deepEqual(fake.chatEvents(token, CHANNEL.id).slice(1), [{ type: 'approve', userId: ANN.id }, { type: 'decline', userId: BOB.id }]);
});

test('requestJoin refuses what Telegram refuses: revoked link, a member, a banned user, a link without approval', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.addChat(token, CHANNEL);
  const link = resultOf<ChatInviteLink>(await call('createChatInviteLink', { chat_id: CHANNEL.id, creates_join_request: true }));
  const open = resultOf<ChatInviteLink>(await call('createChatInviteLink', { chat_id: CHANNEL.id }));
  await call('revokeChatInviteLink', { chat_id: CHANNEL.id, invite_link: link.invite_link });
  assert.throws(() => fake.requestJoin(token, { user: ANN, chatId: CHANNEL.id, inviteLink: link.invite_link }), /revoked/);
  assert.throws(() => fake.requestJoin(token, { user: ANN, chatId: CHANNEL.id, inviteLink: open.invite_link }), /does not create join requests/);
  fake.setMember(token, { chatId: CHANNEL.id, user: ANN, status: 'member' });
  assert.throws(() => fake.requestJoin(token, { user: ANN, chatId: CHANNEL.id }), /already in the chat/);
  fake.setMember(token, { chatId: CHANNEL.id, user: BOB, status: 'kicked' });
  assert.throws(() => fake.requestJoin(token, { user: BOB, chatId: CHANNEL.id }), /banned/);
  assert.equal(fake.pendingUpdates(token), 0);

  fake.setBotRights(token, CHANNEL.id, { status: 'administrator', can_invite_users: false });
  fake.setMember(token, { chatId: CHANNEL.id, user: ANN, status: 'left' });
  fake.requestJoin(token, { user: ANN, chatId: CHANNEL.id });
  const refused = await call('approveChatJoinRequest', { chat_id: CHANNEL.id, user_id: ANN.id });
  assert.equal((refused.body as { description: string }).description, 'Bad Request: not enough rights to manage chat join requests');
});
