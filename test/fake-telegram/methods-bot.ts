/**
 * Methods about the bot itself: getMe, and the command lists
 * (setMyCommands, getMyCommands, deleteMyCommands) kept per scope and
 * language, as Telegram keeps them.
 */
import type { BotCommand, UserFromGetMe } from 'grammy/types';
import { badRequest } from './api-error.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { chatIdParam, jsonParam, stringParam } from './params.js';
import type { Params } from './read-params.js';

const SCOPE_TYPES = new Set([
  'default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', 'chat_member',
]);

function getMe({ bot }: MethodContext): UserFromGetMe {
  return { ...bot.user };
}

/** The key of a command list: the scope (with its chat and user) and the language. */
function listKey(params: Params): string {
  const scope = jsonParam(params, 'scope') ?? { type: 'default' };
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) throw badRequest("can't parse BotCommandScope JSON object");
  const { type, chat_id: chatId, user_id: userId } = scope as Record<string, unknown>;
  if (typeof type !== 'string' || !SCOPE_TYPES.has(type)) throw badRequest('unsupported bot command scope type');
  const needsChat = type === 'chat' || type === 'chat_administrators' || type === 'chat_member';
  const chat = needsChat ? chatIdParam({ chat_id: chatId }) : undefined;
  if (needsChat && chat === undefined) throw badRequest('chat_id is empty');
  if (type === 'chat_member' && typeof userId !== 'number') throw badRequest('user not found');
  const language = stringParam(params, 'language_code') ?? '';
  if (language !== '' && !/^[a-z]{2}$/.test(language)) throw badRequest('invalid language code specified');
  return JSON.stringify([type, chat ?? null, type === 'chat_member' ? userId : null, language]);
}

function readCommands(params: Params): BotCommand[] {
  const commands = jsonParam(params, 'commands');
  if (commands === undefined) throw badRequest('parameter "commands" is required');
  if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
  if (commands.length > 100) throw badRequest('too many commands specified');
  return commands.map((entry: unknown) => {
    const { command, description } = (entry ?? {}) as Record<string, unknown>;
    if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.replace(/^\//, ''))) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof description !== 'string' || description.trim().length === 0 || description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    return { command: command.replace(/^\//, ''), description };
  });
}

function setMyCommands({ bot, params }: MethodContext): true {
  const commands = readCommands(params);
  const key = listKey(params);
  if (commands.length === 0) bot.commands.delete(key);
  else bot.commands.set(key, commands);
  return true;
}

function getMyCommands({ bot, params }: MethodContext): BotCommand[] {
  return (bot.commands.get(listKey(params)) ?? []).map((c) => ({ ...c }));
}

function deleteMyCommands({ bot, params }: MethodContext): true {
  bot.commands.delete(listKey(params));
  return true;
}

/** getMe and the command methods. */
export const BOT_METHODS: MethodTable = { getMe, setMyCommands, getMyCommands, deleteMyCommands };
