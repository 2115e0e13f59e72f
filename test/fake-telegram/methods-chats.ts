/**
 * Chats and their members: getChat, getChatMember, banChatMember and
 * unbanChatMember over the channels and supergroups added with
 * fake.addChat. These manage a chat; they are not sends, so neither the rate
 * limiter nor the blocked-user 403 applies to them.
 */
import type { ChatFullInfo, ChatMember } from 'grammy/types';
import { badRequest } from './api-error.js';
import { chatForMethod, requireRight } from './chat-access.js';
import { botMember, changeMember, knownUser, managedChats, userMember } from './managed-chats.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { boolParam, hasParam, intParam, requireChatId, requireUserId } from './params.js';
import { privateChat, resolveChat, unixTime } from './state.js';

const RESTRICT_REFUSAL = 'not enough rights to restrict/unrestrict chat member';
const OWNER_REFUSAL = "can't remove chat owner";
/** Bans shorter than 30 s or longer than 366 days are forever (until_date 0), as the Bot API documents. */
const MIN_BAN_SECONDS = 30;
const MAX_BAN_SECONDS = 366 * 24 * 60 * 60;

/** The fields getChat adds to a Chat, at their plain defaults. */
const FULL_INFO_DEFAULTS = {
  accent_color_id: 0,
  max_reaction_count: 11,
  accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false },
};

function chatIdOf(ctx: MethodContext): number {
  const chatId = requireChatId(ctx.params);
  return typeof chatId === 'string' ? resolveChat(ctx.fake, chatId).id : chatId;
}

function getChat(ctx: MethodContext): ChatFullInfo {
  const id = chatIdOf(ctx);
  const managed = managedChats(ctx.bot).get(id);
  if (managed) return { ...managed.chat, ...FULL_INFO_DEFAULTS } as ChatFullInfo;
  const user = ctx.fake.users.get(id);
  if (user) return { ...privateChat(user), ...FULL_INFO_DEFAULTS } as ChatFullInfo;
  throw badRequest('chat not found');
}

function getChatMember(ctx: MethodContext): ChatMember {
  const userId = requireUserId(ctx.params);
  const id = chatIdOf(ctx);
  const managed = managedChats(ctx.bot).get(id);
  if (managed) return userId === ctx.bot.user.id ? botMember(ctx.bot, managed) : userMember(ctx.fake, managed, userId);
  // A private chat has two members: the user and the bot.
  const user = ctx.fake.users.get(id);
  if (!user) throw badRequest('chat not found');
  if (userId === ctx.bot.user.id) return { status: 'member', user: { ...ctx.bot.user } };
  if (userId === id) return { status: 'member', user: knownUser(ctx.fake, id) };
  throw badRequest('user not found');
}

/** until_date as Telegram keeps it: 0 (forever) outside 30 s – 366 days from now. */
function banUntil(requested: number, now: number): number {
  return requested < now + MIN_BAN_SECONDS || requested > now + MAX_BAN_SECONDS ? 0 : requested;
}

function banChatMember(ctx: MethodContext): true {
  const userId = requireUserId(ctx.params);
  const requested = intParam(ctx.params, 'until_date') ?? 0;
  const chat = chatForMethod(ctx, "can't ban members in private chats");
  requireRight(ctx.bot, chat, 'can_restrict_members', RESTRICT_REFUSAL);
  if (userId === chat.owner.id) throw badRequest(OWNER_REFUSAL);
  const untilDate = banUntil(requested, unixTime(ctx.fake));
  changeMember(ctx.fake, ctx.bot, chat, userId, { status: 'kicked', untilDate });
  chat.events.push({
    type: 'ban',
    userId,
    ...(requested === 0 ? {} : { untilDate }),
    ...(hasParam(ctx.params, 'revoke_messages') ? { revokeMessages: boolParam(ctx.params, 'revoke_messages') } : {}),
  });
  return true;
}

function unbanChatMember(ctx: MethodContext): true {
  const userId = requireUserId(ctx.params);
  const onlyIfBanned = boolParam(ctx.params, 'only_if_banned');
  const chat = chatForMethod(ctx, 'method is available for supergroup and channel chats only');
  requireRight(ctx.bot, chat, 'can_restrict_members', RESTRICT_REFUSAL);
  const banned = chat.members.get(userId)?.status === 'kicked';
  // Without only_if_banned Telegram guarantees the user is out afterwards, removing a member too.
  if (!onlyIfBanned && userId === chat.owner.id) throw badRequest(OWNER_REFUSAL);
  if (banned || !onlyIfBanned) changeMember(ctx.fake, ctx.bot, chat, userId, undefined);
  chat.events.push({ type: 'unban', userId, onlyIfBanned });
  return true;
}

/** getChat, getChatMember, banChatMember, unbanChatMember. */
export const CHAT_METHODS: MethodTable = { getChat, getChatMember, banChatMember, unbanChatMember };
