/**
 * The channels and supergroups a bot is in (its `managedChats` slot): the
 * bot's rights, each user's membership, invite links, pending join requests
 * and the log of what the bot did. Also the ChatMember objects Telegram
 * would describe them with, and the chat_member / my_chat_member updates
 * pushed when a membership changes.
 */
import type { Chat, ChatInviteLink, ChatMember, ChatMemberAdministrator, User } from 'grammy/types';
import { botAsSender, botSlot, type BotState } from './bot-state.js';
import type { BotRights, ChatEvent } from './chat-types.js';
import { unixTime, type FakeState } from './state.js';
import type { FakeUser, UpdateInput } from './types.js';
import { pushUpdate, userObject } from './user-actions.js';

/** A user's standing in a chat, when not left. */
export interface MemberState {
  status: 'member' | 'kicked';
  /** For kicked: when the ban ends (0: forever). */
  untilDate: number;
}

/** A pending chat_join_request. */
export interface JoinRequestState {
  user: User;
  date: number;
  inviteLink: ChatInviteLink | undefined;
}

/** One channel or supergroup, as one bot sees it. */
export interface ManagedChat {
  readonly chat: Chat.ChannelChat | Chat.SupergroupChat;
  readonly owner: User;
  botRights: BotRights;
  /** Users who are not `left`. */
  readonly members: Map<number, MemberState>;
  readonly links: Map<string, ChatInviteLink>;
  readonly joinRequests: Map<number, JoinRequestState>;
  readonly events: ChatEvent[];
}

/** The creator of a chat added without an owner. */
export const DEFAULT_CHAT_OWNER: FakeUser = { id: 100_000_001, first_name: 'Chat Owner', username: 'chat_owner' };

/** An administrator with can_invite_users and can_restrict_members: what a paywall bot needs. */
export const DEFAULT_BOT_RIGHTS: BotRights = { status: 'administrator', can_invite_users: true, can_restrict_members: true };

/** The bot's chats by id. */
export function managedChats(bot: BotState): Map<number, ManagedChat> {
  return botSlot(bot, 'managedChats', () => new Map<number, ManagedChat>());
}

/** A user as Telegram would show them: the one the fake knows, or a stand-in. */
export function knownUser(state: FakeState, userId: number): User {
  const user = state.users.get(userId);
  return user ? userObject(user) : { id: userId, is_bot: false, first_name: `User ${userId}` };
}

function administrator(bot: BotState, chat: ManagedChat): ChatMemberAdministrator {
  // Rights left undefined keep their defaults.
  const given = Object.fromEntries(Object.entries(chat.botRights).filter(([key, value]) => key !== 'status' && value !== undefined));
  const byType = chat.chat.type === 'channel'
    ? { can_post_messages: false, can_edit_messages: false }
    : { can_pin_messages: false, can_manage_topics: false };
  return {
    status: 'administrator',
    user: botAsSender(bot),
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: false,
    can_manage_video_chats: false,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_send_welcome_messages: false,
    ...byType,
    ...given,
  };
}

/** The bot's own ChatMember in the chat. */
export function botMember(bot: BotState, chat: ManagedChat): ChatMember {
  const user = botAsSender(bot);
  switch (chat.botRights.status) {
    case 'administrator': return administrator(bot, chat);
    case 'member': return { status: 'member', user };
    case 'left': return { status: 'left', user };
    case 'kicked': return { status: 'kicked', user, until_date: 0 };
  }
}

/** Whether the bot is an administrator holding that right. */
export function botHasRight(bot: BotState, chat: ManagedChat, right: 'can_invite_users' | 'can_restrict_members'): boolean {
  const member = botMember(bot, chat);
  return member.status === 'administrator' && member[right];
}

/** A user's ChatMember in the chat: creator, member, kicked, or left. */
export function userMember(state: FakeState, chat: ManagedChat, userId: number): ChatMember {
  const user = knownUser(state, userId);
  if (userId === chat.owner.id) return { status: 'creator', user, is_anonymous: false };
  const member = chat.members.get(userId);
  if (member?.status === 'member') return { status: 'member', user };
  if (member?.status === 'kicked') return { status: 'kicked', user, until_date: member.untilDate };
  return { status: 'left', user };
}

/** How a user joined: the link they used, or a direct request an administrator approved. */
export interface JoinDetails {
  inviteLink?: ChatInviteLink | undefined;
  viaJoinRequest?: boolean;
}

/** Pushes chat_member or my_chat_member (ChatMemberUpdated); returns its update_id. */
export function pushMemberUpdate(
  state: FakeState, bot: BotState, chat: ManagedChat, type: 'chat_member' | 'my_chat_member',
  change: { from: User; old: ChatMember; next: ChatMember } & JoinDetails,
): number {
  const updated = {
    chat: chat.chat,
    from: change.from,
    date: unixTime(state),
    old_chat_member: change.old,
    new_chat_member: change.next,
    ...(change.inviteLink ? { invite_link: { ...change.inviteLink } } : {}),
    ...(change.viaJoinRequest ? { via_join_request: true } : {}),
  };
  return pushUpdate(bot, { [type]: updated } as UpdateInput);
}

/**
 * Moves a user to `next` (undefined: left) and, when their status changed,
 * pushes the chat_member update the bot, as an administrator, would get.
 */
export function changeMember(
  state: FakeState, bot: BotState, chat: ManagedChat, userId: number, next: MemberState | undefined, join: JoinDetails = {},
): number | undefined {
  const old = userMember(state, chat, userId);
  if (next) chat.members.set(userId, next);
  else chat.members.delete(userId);
  const now = userMember(state, chat, userId);
  if (JSON.stringify(old) === JSON.stringify(now)) return undefined;
  return pushMemberUpdate(state, bot, chat, 'chat_member', { from: botAsSender(bot), old, next: now, ...join });
}
