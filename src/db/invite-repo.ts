/** The InviteRepo port over `invite_links`: one link per user and chat, revoked once used. */
import type { Knex } from 'knex';
import type { InviteLink, InviteRepo } from '../paywall/index.js';
import { fromDbInt, fromDbIntOrNull, toDbTime } from './values.js';

type InviteRow = Record<'id' | 'invite_link' | 'user_id' | 'chat_id' | 'subscription_id' | 'status', unknown>;

function toInvite(row: InviteRow): InviteLink {
  return {
    id: fromDbInt(row.id),
    inviteLink: String(row.invite_link),
    userId: fromDbInt(row.user_id),
    chatId: fromDbInt(row.chat_id),
    subscriptionId: fromDbIntOrNull(row.subscription_id),
    status: String(row.status) as InviteLink['status'],
  };
}

/** Builds the InviteRepo. `knex` may be a transaction. */
export function createInviteRepo(knex: Knex): InviteRepo {
  return {
    async create(link, at) {
      const rows: InviteRow[] = await knex('invite_links')
        .insert({ invite_link: link.inviteLink, user_id: link.userId, chat_id: link.chatId, subscription_id: link.subscriptionId, status: 'active', created_at: toDbTime(at) })
        .returning('*');
      if (!rows[0]) throw new Error('The invite link insert returned no row.');
      return toInvite(rows[0]);
    },
    async byLink(inviteLink) {
      const row: InviteRow | undefined = await knex('invite_links').where({ invite_link: inviteLink }).first();
      return row ? toInvite(row) : undefined;
    },
    async activeFor(userId, chatId) {
      const rows: InviteRow[] = await knex('invite_links').where({ user_id: userId, chat_id: chatId, status: 'active' }).orderBy('id');
      return rows.map(toInvite);
    },
    async setStatus(id, status, at) {
      const when = status === 'used' ? { joined_at: toDbTime(at) } : status === 'revoked' ? { revoked_at: toDbTime(at) } : {};
      await knex('invite_links').where({ id }).update({ status, ...when });
    },
  };
}
