/**
 * Invite links and join requests: createChatInviteLink, revokeChatInviteLink,
 * approveChatJoinRequest and declineChatJoinRequest. Parameters are read as
 * the Bot API server reads them (expire_date and member_limit clamped, the
 * name cut to 32 characters as TDLib does), then TDLib's and Telegram's
 * refusals in their order. Chat management: no rate limit, no blocked-user 403.
 */
import { randomBytes } from 'node:crypto';
import type { ChatInviteLink } from 'grammy/types';
import { badRequest } from './api-error.js';
import { botAsSender } from './bot-state.js';
import { chatForMethod, requireRight } from './chat-access.js';
import { changeMember, type JoinRequestState, type ManagedChat } from './managed-chats.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { boolParam, clampedIntParam, requireUserId, stringParam } from './params.js';
import { unixTime } from './state.js';

/** The refusals of these methods, after "Bad Request: ". */
export const INVITE_ERRORS = {
  privateChat: "can't invite members to a private chat",
  linkRights: 'not enough rights to manage chat invite link',
  limitWithApproval: "member limit can't be specified for links requiring administrator approval",
  expireDate: 'EXPIRE_DATE_INVALID',
  usageLimit: 'USAGE_LIMIT_INVALID',
  linkEmpty: 'invite link must be non-empty',
  linkUnknown: 'INVITE_HASH_EXPIRED',
  noJoinRequests: "the chat can't have join requests",
  requestRights: 'not enough rights to manage chat join requests',
  requestMissing: 'HIDE_REQUESTER_MISSING',
} as const;

const MAX_LINK_NAME = 32;
const MAX_MEMBER_LIMIT = 99_999;

function createChatInviteLink(ctx: MethodContext): ChatInviteLink {
  const name = [...(stringParam(ctx.params, 'name') ?? '')].slice(0, MAX_LINK_NAME).join('');
  const expireDate = clampedIntParam(ctx.params, 'expire_date', 0, 0, Number.MAX_SAFE_INTEGER);
  const memberLimit = clampedIntParam(ctx.params, 'member_limit', 0, 0, MAX_MEMBER_LIMIT + 1);
  const createsJoinRequest = boolParam(ctx.params, 'creates_join_request');
  const chat = chatForMethod(ctx, INVITE_ERRORS.privateChat);
  requireRight(ctx.bot, chat, 'can_invite_users', INVITE_ERRORS.linkRights);
  if (createsJoinRequest && memberLimit > 0) throw badRequest(INVITE_ERRORS.limitWithApproval);
  if (expireDate !== 0 && expireDate <= unixTime(ctx.fake)) throw badRequest(INVITE_ERRORS.expireDate);
  if (memberLimit > MAX_MEMBER_LIMIT) throw badRequest(INVITE_ERRORS.usageLimit);
  const link: ChatInviteLink = {
    invite_link: `https://t.me/+${randomBytes(12).toString('base64url')}`,
    creator: botAsSender(ctx.bot),
    creates_join_request: createsJoinRequest,
    is_primary: false,
    is_revoked: false,
    ...(name === '' ? {} : { name }),
    ...(expireDate === 0 ? {} : { expire_date: expireDate }),
    ...(memberLimit === 0 ? {} : { member_limit: memberLimit }),
  };
  chat.links.set(link.invite_link, link);
  chat.events.push({ type: 'createInviteLink', inviteLink: link.invite_link });
  return { ...link };
}

function revokeChatInviteLink(ctx: MethodContext): ChatInviteLink {
  const inviteLink = stringParam(ctx.params, 'invite_link') ?? '';
  const chat = chatForMethod(ctx, INVITE_ERRORS.privateChat);
  requireRight(ctx.bot, chat, 'can_invite_users', INVITE_ERRORS.linkRights);
  if (inviteLink === '') throw badRequest(INVITE_ERRORS.linkEmpty);
  const link = chat.links.get(inviteLink);
  if (!link) throw badRequest(INVITE_ERRORS.linkUnknown);
  link.is_revoked = true;
  chat.events.push({ type: 'revokeInviteLink', inviteLink });
  return { ...link };
}

/** The pending request of the user a join-request method names. */
function pendingRequest(ctx: MethodContext): { chat: ManagedChat; userId: number; request: JoinRequestState } {
  const userId = requireUserId(ctx.params);
  const chat = chatForMethod(ctx, INVITE_ERRORS.noJoinRequests);
  requireRight(ctx.bot, chat, 'can_invite_users', INVITE_ERRORS.requestRights);
  const request = chat.joinRequests.get(userId);
  if (!request) throw badRequest(INVITE_ERRORS.requestMissing);
  return { chat, userId, request };
}

function approveChatJoinRequest(ctx: MethodContext): true {
  const { chat, userId, request } = pendingRequest(ctx);
  chat.joinRequests.delete(userId);
  const join = request.inviteLink ? { inviteLink: request.inviteLink } : { viaJoinRequest: true };
  changeMember(ctx.fake, ctx.bot, chat, userId, { status: 'member', untilDate: 0 }, join);
  chat.events.push({ type: 'approve', userId });
  return true;
}

function declineChatJoinRequest(ctx: MethodContext): true {
  const { chat, userId } = pendingRequest(ctx);
  chat.joinRequests.delete(userId);
  chat.events.push({ type: 'decline', userId });
  return true;
}

/** createChatInviteLink, revokeChatInviteLink, approveChatJoinRequest, declineChatJoinRequest. */
export const INVITE_METHODS: MethodTable = { createChatInviteLink, revokeChatInviteLink, approveChatJoinRequest, declineChatJoinRequest };
