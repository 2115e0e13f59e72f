/**
 * reply_markup checked as Telegram checks it: inline keyboards need a row
 * array of buttons that each do something, callback_data of 1–64 bytes;
 * reply keyboards, keyboard removal and force_reply pass through. Only an
 * inline keyboard is echoed back in the sent Message.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { badRequest } from './api-error.js';
import { jsonParam } from './params.js';
import type { Params } from './read-params.js';

const BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
];

function checkInlineButton(button: unknown): void {
  if (typeof button !== 'object' || button === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const fields = button as Record<string, unknown>;
  if (typeof fields['text'] !== 'string' || fields['text'].length === 0) {
    throw badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
  }
  if (!BUTTON_ACTIONS.some((action) => fields[action] !== undefined)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const data = fields['callback_data'];
  if (data !== undefined) {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
    if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  const url = fields['url'];
  if (url !== undefined && (typeof url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(url))) {
    throw badRequest(`inline keyboard button URL '${String(url)}' is invalid: Wrong HTTP URL`);
  }
}

function checkRows(rows: unknown, field: string, type: string, checkButton: (button: unknown) => void): void {
  if (!Array.isArray(rows)) throw badRequest(`field "${field}" of the ${type} must be an Array`);
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest(`can't parse ${field}: ${type} row must be an Array`);
    row.forEach(checkButton);
  }
}

/** The checked reply_markup of a request (undefined when absent), and the inline keyboard to echo. */
export function readReplyMarkup(params: Params): { markup: Record<string, unknown> | undefined; inline: InlineKeyboardMarkup | undefined } {
  const markup = jsonParam(params, 'reply_markup');
  if (markup === undefined) return { markup: undefined, inline: undefined };
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const fields = markup as Record<string, unknown>;
  if ('inline_keyboard' in fields) {
    checkRows(fields['inline_keyboard'], 'inline_keyboard', 'InlineKeyboardMarkup', checkInlineButton);
    return { markup: fields, inline: fields as unknown as InlineKeyboardMarkup };
  }
  if ('keyboard' in fields) {
    checkRows(fields['keyboard'], 'keyboard', 'ReplyKeyboardMarkup', (button) => {
      const text = typeof button === 'string' ? button : (button as { text?: unknown } | null)?.text;
      if (typeof text !== 'string') throw badRequest("can't parse keyboard button: Field \"text\" must be of type String");
    });
  } else if (!('remove_keyboard' in fields) && !('force_reply' in fields)) {
    throw badRequest('object expected as reply markup');
  }
  return { markup: fields, inline: undefined };
}
