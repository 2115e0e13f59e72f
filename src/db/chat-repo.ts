/** The ChatRepo port over `protected_chats` (the bot's rights) and `chat_members` (membership as the bot saw it). */
import type { Knex } from 'knex';
import type { ChatRepo, ProtectedChat } from '../paywall/index.js';
import { textOrNull } from './repo-rows.js';
import { fromDbBool, fromDbInt, fromDbTimeOrNull, toDbTime, toDbTimeOrNull } from './values.js';

type ChatRow = Record<'chat_id' | 'title' | 'bot_status' | 'can_invite_users' | 'can_restrict_members' | 'checked_at', unknown>;

function toChat(row: ChatRow): ProtectedChat {
  return {
    chatId: fromDbInt(row.chat_id),
    title: textOrNull(row.title),
    botStatus: textOrNull(row.bot_status),
    canInviteUsers: fromDbBool(row.can_invite_users),
    canRestrictMembers: fromDbBool(row.can_restrict_members),
    checkedAt: fromDbTimeOrNull(row.checked_at),
  };
}

/** Builds the ChatRepo. `knex` may be a transaction. */
export function createChatRepo(knex: Knex): ChatRepo {
  return {
    async upsert(chat) {
      await knex('protected_chats')
        .insert({
          chat_id: chat.chatId,
          title: chat.title,
          bot_status: chat.botStatus,
          can_invite_users: chat.canInviteUsers,
          can_restrict_members: chat.canRestrictMembers,
          checked_at: toDbTimeOrNull(chat.checkedAt),
        })
        .onConflict('chat_id')
        .merge(['title', 'bot_status', 'can_invite_users', 'can_restrict_members', 'checked_at']);
    },
    async get(chatId) {
      const row: ChatRow | undefined = await knex('protected_chats').where({ chat_id: chatId }).first();
      return row ? toChat(row) : undefined;
    },
    async list() {
      const rows: ChatRow[] = await knex('protected_chats').orderBy('chat_id');
      return rows.map(toChat);
    },
    async setMember(chatId, userId, status, at) {
      await knex('chat_members').insert({ chat_id: chatId, user_id: userId, status, updated_at: toDbTime(at) }).onConflict(['chat_id', 'user_id']).merge(['status', 'updated_at']);
    },
    async memberStatus(chatId, userId) {
      const row: { status: unknown } | undefined = await knex('chat_members').where({ chat_id: chatId, user_id: userId }).first('status');
      return row ? String(row.status) : undefined;
    },
  };
}
