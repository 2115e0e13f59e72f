/**
 * Small interaction methods: answerCallbackQuery (each query id handed out
 * once, answerable once) and sendChatAction.
 */
import { badRequest } from './api-error.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { stringParam } from './params.js';
import { recipientChat } from './outgoing.js';

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';

function answerCallbackQuery({ bot, params }: MethodContext): true {
  const id = stringParam(params, 'callback_query_id');
  if (id === undefined || id === '') throw badRequest('parameter "callback_query_id" is required');
  const query = bot.callbackQueries.get(id);
  if (!query || query.answered) throw badRequest(QUERY_INVALID);
  const text = stringParam(params, 'text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  query.answered = true;
  return true;
}

function sendChatAction(ctx: MethodContext): true {
  recipientChat(ctx);
  const action = stringParam(ctx.params, 'action');
  if (action === undefined || action === '') throw badRequest('parameter "action" is required');
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  return true;
}

/** answerCallbackQuery and sendChatAction. */
export const INTERACTION_METHODS: MethodTable = { answerCallbackQuery, sendChatAction };
