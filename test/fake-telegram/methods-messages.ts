/**
 * Text messages: sendMessage, editMessageText, editMessageReplyMarkup and
 * deleteMessage, validated with Telegram's wording and kept per chat.
 */
import type { Message } from 'grammy/types';
import { badRequest } from './api-error.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { hasParam, intParam, requireChatId } from './params.js';
import { readFormattedText, recipientChat, saveBotMessage } from './outgoing.js';
import { readReplyMarkup } from './reply-markup.js';
import { resolveChat, unixTime } from './state.js';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

function sendMessage(ctx: MethodContext): Message {
  const chat = recipientChat(ctx);
  const { text, entities } = readFormattedText(ctx.params);
  const { inline } = readReplyMarkup(ctx.params);
  const content: Record<string, unknown> = { text };
  if (entities.length > 0) content['entities'] = entities;
  if (inline) content['reply_markup'] = inline;
  return saveBotMessage(ctx, chat, content);
}

/** The message an edit names; inline messages (inline_message_id) are not stored, so undefined. */
function messageToEdit(ctx: MethodContext): Message | undefined {
  if (hasParam(ctx.params, 'inline_message_id') && !hasParam(ctx.params, 'chat_id')) return undefined;
  const chat = recipientChat(ctx);
  const messageId = intParam(ctx.params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const message = ctx.bot.chats.get(chat.id, messageId);
  if (!message) throw badRequest('message to edit not found');
  if (message.from?.id !== ctx.bot.user.id) throw badRequest("message can't be edited");
  return message;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function storeEdit(ctx: MethodContext, message: Message, changes: Record<string, unknown>): Message {
  const edited = { ...message, ...changes, edit_date: unixTime(ctx.fake) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete edited[key];
  ctx.bot.chats.save(edited as unknown as Message);
  return edited as unknown as Message;
}

function editMessageText(ctx: MethodContext): Message | true {
  const { text, entities } = readFormattedText(ctx.params);
  const { inline } = readReplyMarkup(ctx.params);
  const message = messageToEdit(ctx);
  if (!message) return true;
  if (!('text' in message)) throw badRequest('there is no text in the message to edit');
  const newEntities = entities.length > 0 ? entities : undefined;
  if (message.text === text && sameJson(message.entities, newEntities) && sameJson(message.reply_markup, inline)) {
    throw badRequest(NOT_MODIFIED);
  }
  return storeEdit(ctx, message, { text, entities: newEntities, reply_markup: inline });
}

function editMessageReplyMarkup(ctx: MethodContext): Message | true {
  const { inline } = readReplyMarkup(ctx.params);
  const message = messageToEdit(ctx);
  if (!message) return true;
  if (sameJson(message.reply_markup, inline)) throw badRequest(NOT_MODIFIED);
  return storeEdit(ctx, message, { reply_markup: inline });
}

function deleteMessage(ctx: MethodContext): true {
  // No 403 here: a bot may still delete messages in a chat whose user blocked it.
  const chat = resolveChat(ctx.fake, requireChatId(ctx.params));
  const messageId = intParam(ctx.params, 'message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  if (!ctx.bot.chats.delete(chat.id, messageId)) throw badRequest('message to delete not found');
  return true;
}

/** The text message methods. */
export const MESSAGE_METHODS: MethodTable = { sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage };
