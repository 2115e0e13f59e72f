/**
 * The public types of the fake's channels and supergroups: the bot's rights
 * in them, members, invite links, join requests, and the log of what the bot
 * did there.
 */
import type { Chat, ChatAdministratorRights, ChatInviteLink, ChatMember } from 'grammy/types';
import type { FakeUser } from './types.js';

/** The bot's standing in a chat. */
export type BotChatStatus = 'administrator' | 'member' | 'left' | 'kicked';

/**
 * The bot's status and, for an administrator, its rights. can_invite_users and
 * can_restrict_members default to true for an administrator (can_manage_chat
 * too); every other right defaults to false.
 */
export type BotRights = { status: BotChatStatus } & Partial<Omit<ChatAdministratorRights, 'is_anonymous'>>;

/** fake.addChat: a channel or supergroup the bot is in. */
export interface AddChatOptions {
  id: number;
  type: 'channel' | 'supergroup';
  title: string;
  username?: string;
  /** Defaults to an administrator with can_invite_users and can_restrict_members. */
  botRights?: BotRights;
  /** The chat's creator, `from` of rights changes; defaults to DEFAULT_CHAT_OWNER. */
  owner?: FakeUser;
}

/** fake.requestJoin: a user asks to join through an invite link (or directly, without one). */
export interface RequestJoinOptions {
  user: FakeUser;
  chatId: number;
  inviteLink?: string;
  bio?: string;
}

/** fake.setMember: puts a user in a state without any update (test set-up). */
export interface SetMemberOptions {
  user: FakeUser;
  chatId: number;
  status: 'member' | 'left' | 'kicked';
}

/** A member's status, as ChatMember.status. */
export type MemberStatus = ChatMember['status'];

/** What the bot did in a chat, in order. */
export type ChatEvent =
  | { type: 'ban'; userId: number; untilDate?: number; revokeMessages?: boolean }
  | { type: 'unban'; userId: number; onlyIfBanned: boolean }
  | { type: 'approve'; userId: number }
  | { type: 'decline'; userId: number }
  | { type: 'createInviteLink'; inviteLink: string }
  | { type: 'revokeInviteLink'; inviteLink: string };

/** The chat side of the fake. */
export interface FakeChats {
  /** Registers a channel or supergroup with the bot in it; returns the Chat. */
  addChat(token: string, options: AddChatOptions): Chat;
  /** Changes the bot's rights and pushes my_chat_member; undefined (no update) when nothing changed. */
  setBotRights(token: string, chatId: number, rights: BotRights, options?: { by?: FakeUser }): number | undefined;
  /** Pushes a chat_join_request; throws when Telegram would refuse the join (revoked or expired link, banned user…). */
  requestJoin(token: string, options: RequestJoinOptions): number;
  /** Makes a user a member, banned or gone, with no update (set-up). */
  setMember(token: string, options: SetMemberOptions): void;
  /** The status getChatMember would answer, for a user or the bot itself. */
  memberStatus(token: string, chatId: number, userId: number): MemberStatus;
  /** What the bot did in the chat, in order (bans, unbans, approvals, declines, links). */
  chatEvents(token: string, chatId: number): ChatEvent[];
  /** The links the bot created in the chat, revoked ones included. */
  inviteLinks(token: string, chatId: number): ChatInviteLink[];
}
