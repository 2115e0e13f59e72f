/**
 * The checks every chat-management method starts with, in the order the Bot
 * API server makes them: the chat_id names a chat the bot knows ("chat not
 * found"; private chats have their own refusal), the bot is still in it (403),
 * then the administrator right the method needs (400).
 */
import { badRequest, forbidden } from './api-error.js';
import type { BotState } from './bot-state.js';
import { botHasRight, managedChats, type ManagedChat } from './managed-chats.js';
import type { MethodContext } from './method-registry.js';
import { requireChatId } from './params.js';
import { resolveChat } from './state.js';

/** The managed chat named by chat_id; `privateRefusal` when it names a private chat. */
export function chatForMethod(ctx: MethodContext, privateRefusal: string): ManagedChat {
  const chatId = requireChatId(ctx.params);
  const id = typeof chatId === 'string' ? resolveChat(ctx.fake, chatId).id : chatId;
  const managed = managedChats(ctx.bot).get(id);
  if (managed) return managed;
  if (id > 0) throw badRequest(privateRefusal);
  throw badRequest('chat not found');
}

/** 403 when the bot left or was removed from the chat. */
export function requireBotInChat(bot: BotState, chat: ManagedChat): void {
  const kind = chat.chat.type === 'channel' ? 'channel' : 'supergroup';
  if (chat.botRights.status === 'left') throw forbidden(`bot is not a member of the ${kind} chat`);
  if (chat.botRights.status === 'kicked') throw forbidden(`bot was kicked from the ${kind} chat`);
}

/** The bot is in the chat and an administrator with `right`, or the method is refused with `refusal`. */
export function requireRight(bot: BotState, chat: ManagedChat, right: 'can_invite_users' | 'can_restrict_members', refusal: string): void {
  requireBotInChat(bot, chat);
  if (!botHasRight(bot, chat, right)) throw badRequest(refusal);
}
