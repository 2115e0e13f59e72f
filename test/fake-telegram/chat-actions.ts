/**
 * The chat controls of a fake (FakeChats): adding a channel or supergroup
 * with the bot in it, changing the bot's rights (my_chat_member), users
 * asking to join through an invite link (chat_join_request), and reading
 * back memberships and what the bot did.
 */
import type { ChatJoinRequest } from 'grammy/types';
import type { BotState } from './bot-state.js';
import type { AddChatOptions, BotRights, FakeChats, RequestJoinOptions, SetMemberOptions } from './chat-types.js';
import {
  DEFAULT_BOT_RIGHTS, DEFAULT_CHAT_OWNER, botMember, managedChats, pushMemberUpdate, userMember, type ManagedChat,
} from './managed-chats.js';
import { rememberUser, requireBot, unixTime, type FakeState } from './state.js';
import type { FakeUser, UpdateInput } from './types.js';
import { pushUpdate, userObject } from './user-actions.js';

const CHAT_TYPES = new Set(['channel', 'supergroup']);
const BOT_STATUSES = new Set(['administrator', 'member', 'left', 'kicked']);

function checkRights(rights: BotRights): BotRights {
  if (!BOT_STATUSES.has(rights?.status)) {
    throw new TypeError(`fake-telegram: botRights.status must be administrator, member, left or kicked, got ${JSON.stringify(rights?.status)}`);
  }
  return { ...rights };
}

function addChat(state: FakeState, bot: BotState, options: AddChatOptions): ManagedChat {
  if (!Number.isSafeInteger(options.id) || options.id >= 0) throw new TypeError(`fake-telegram: addChat id must be a negative integer, got ${options.id}`);
  if (!CHAT_TYPES.has(options.type)) throw new TypeError(`fake-telegram: addChat type must be channel or supergroup, got ${JSON.stringify(options.type)}`);
  if (managedChats(bot).has(options.id)) throw new Error(`fake-telegram: chat ${options.id} was already added for this bot`);
  const chat = { id: options.id, type: options.type, title: options.title, ...(options.username ? { username: options.username } : {}) };
  const owner = options.owner ?? DEFAULT_CHAT_OWNER;
  rememberUser(state, owner);
  state.chats.set(chat.id, chat);
  const managed: ManagedChat = {
    chat,
    owner: userObject(owner),
    botRights: checkRights(options.botRights ?? DEFAULT_BOT_RIGHTS),
    members: new Map(),
    links: new Map(),
    joinRequests: new Map(),
    events: [],
  };
  managedChats(bot).set(chat.id, managed);
  return managed;
}

function requireManaged(bot: BotState, chatId: number): ManagedChat {
  const chat = managedChats(bot).get(chatId);
  if (!chat) throw new Error(`fake-telegram: chat ${chatId} is unknown to this bot; call addChat first`);
  return chat;
}

function setBotRights(state: FakeState, bot: BotState, chatId: number, rights: BotRights, by: FakeUser | undefined): number | undefined {
  const chat = requireManaged(bot, chatId);
  const old = botMember(bot, chat);
  chat.botRights = checkRights(rights);
  const next = botMember(bot, chat);
  // Telegram tells the bot only about a change.
  if (JSON.stringify(old) === JSON.stringify(next)) return undefined;
  return pushMemberUpdate(state, bot, chat, 'my_chat_member', { from: by ? userObject(by) : chat.owner, old, next });
}

/** Refuses a join Telegram would refuse, in the helper, since no Bot API call is involved. */
function checkJoin(state: FakeState, chat: ManagedChat, options: RequestJoinOptions) {
  const link = options.inviteLink === undefined ? undefined : chat.links.get(options.inviteLink);
  const refuse = (why: string) => new Error(`fake-telegram: requestJoin refused: ${why}`);
  if (options.inviteLink !== undefined && !link) throw refuse(`the bot created no link ${options.inviteLink} in chat ${chat.chat.id}`);
  if (link?.is_revoked) throw refuse('the invite link was revoked (Telegram: INVITE_HASH_EXPIRED)');
  if (link?.expire_date !== undefined && link.expire_date <= unixTime(state)) throw refuse('the invite link expired (Telegram: INVITE_HASH_EXPIRED)');
  if (link && !link.creates_join_request) throw refuse('the link does not create join requests; the user would join at once');
  const status = userMember(state, chat, options.user.id).status;
  if (status === 'kicked') throw refuse('the user is banned from the chat (Telegram: USER_BANNED_IN_CHANNEL)');
  if (status !== 'left') throw refuse('the user is already in the chat (Telegram: USER_ALREADY_PARTICIPANT)');
  return link;
}

function requestJoin(state: FakeState, bot: BotState, options: RequestJoinOptions): number {
  const chat = requireManaged(bot, options.chatId);
  const link = checkJoin(state, chat, options);
  rememberUser(state, options.user);
  const from = userObject(options.user);
  const date = unixTime(state);
  chat.joinRequests.set(from.id, { user: from, date, inviteLink: link });
  const request: ChatJoinRequest = {
    chat: chat.chat,
    from,
    user_chat_id: from.id,
    date,
    ...(options.bio === undefined ? {} : { bio: options.bio }),
    ...(link ? { invite_link: { ...link } } : {}),
  };
  return pushUpdate(bot, { chat_join_request: request } as UpdateInput);
}

function setMember(state: FakeState, bot: BotState, options: SetMemberOptions): void {
  const chat = requireManaged(bot, options.chatId);
  rememberUser(state, options.user);
  if (options.status === 'left') chat.members.delete(options.user.id);
  else chat.members.set(options.user.id, { status: options.status, untilDate: 0 });
}

/** Builds the chat controls over the fake's state. */
export function createChatActions(state: FakeState): FakeChats {
  const bot = (token: string) => requireBot(state, token);
  return {
    addChat: (token, options) => ({ ...addChat(state, bot(token), options).chat }),
    setBotRights: (token, chatId, rights, options = {}) => setBotRights(state, bot(token), chatId, rights, options.by),
    requestJoin: (token, options) => requestJoin(state, bot(token), options),
    setMember: (token, options) => setMember(state, bot(token), options),
    memberStatus(token, chatId, userId) {
      const chat = requireManaged(bot(token), chatId);
      return userId === bot(token).user.id ? botMember(bot(token), chat).status : userMember(state, chat, userId).status;
    },
    chatEvents: (token, chatId) => requireManaged(bot(token), chatId).events.map((event) => ({ ...event })),
    inviteLinks: (token, chatId) => [...requireManaged(bot(token), chatId).links.values()].map((link) => ({ ...link })),
  };
}
