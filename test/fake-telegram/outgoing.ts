/**
 * What every sending method shares: finding the recipient chat (403 when the
 * user blocked the bot), reading a message text with its parse_mode, and
 * building the Message the bot sent. Payment and media methods added later
 * use the same helpers.
 */
import type { Chat, Message, MessageEntity } from 'grammy/types';
import { badRequest, forbidden } from './api-error.js';
import { botAsSender } from './bot-state.js';
import { parseHtml } from './html-entities.js';
import type { MethodContext } from './method-registry.js';
import { jsonParam, requireChatId, stringParam } from './params.js';
import type { Params } from './read-params.js';
import { resolveChat, unixTime } from './state.js';

/** The longest message text Telegram accepts, in UTF-16 code units after entity parsing. */
export const MAX_TEXT_LENGTH = 4096;

/** The chat named by chat_id, refusing a user who blocked the bot. */
export function recipientChat(ctx: MethodContext, name = 'chat_id'): Chat {
  const chat = resolveChat(ctx.fake, requireChatId(ctx.params, name));
  if (chat.type === 'private' && ctx.bot.blocked.has(chat.id)) throw forbidden('bot was blocked by the user');
  return chat;
}

/** Reads `entities` given explicitly, checking they lie inside the text. */
function explicitEntities(params: Params, field: string, text: string): MessageEntity[] {
  const entities = jsonParam(params, field);
  if (entities === undefined) return [];
  if (!Array.isArray(entities)) throw badRequest(`can't parse entities JSON object`);
  for (const e of entities as MessageEntity[]) {
    if (typeof e?.offset !== 'number' || typeof e.length !== 'number' || typeof e.type !== 'string') {
      throw badRequest("can't parse entities: MessageEntity must have offset, length and type");
    }
    if (e.offset + e.length > text.length) throw badRequest("can't parse entities: entity ends after the end of the text");
  }
  return entities as MessageEntity[];
}

/**
 * A text with its entities from `textField`, `parse_mode` and `entitiesField`
 * (explicit entities win over parse_mode, as on Telegram). Markdown modes are
 * accepted without parsing.
 */
export function readFormattedText(params: Params, textField = 'text', entitiesField = 'entities'): { text: string; entities: MessageEntity[] } {
  const raw = stringParam(params, textField);
  if (raw === undefined || raw.trim() === '') throw badRequest('message text is empty');
  const mode = stringParam(params, 'parse_mode') ?? '';
  let parsed = { text: raw, entities: explicitEntities(params, entitiesField, raw) };
  if (parsed.entities.length === 0 && mode !== '') {
    if (mode.toLowerCase() === 'html') parsed = parseHtml(raw);
    else if (!['markdown', 'markdownv2'].includes(mode.toLowerCase())) throw badRequest('unsupported parse_mode');
  }
  if (parsed.text.trim() === '') throw badRequest('message text is empty');
  if (parsed.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  return parsed;
}

/** A new message from the bot in `chat`, saved so that it can be edited and deleted. */
export function saveBotMessage(ctx: MethodContext, chat: Chat, content: Record<string, unknown>): Message {
  const message = {
    message_id: ctx.bot.chats.allocateMessageId(chat.id),
    from: botAsSender(ctx.bot),
    chat,
    date: unixTime(ctx.fake),
    ...content,
  } as Message;
  ctx.bot.chats.save(message);
  return message;
}
