/** The SubscriptionRepo port over `subscriptions` and `subscription_chats`. */
import type { Knex } from 'knex';
import type { Subscription, SubscriptionRepo } from '../paywall/index.js';
import { returnedId } from './repo-rows.js';
import { subscriptionColumns, withChats, type SubscriptionRow } from './subscription-rows.js';
import { dueForReminderQuery, dueForRemovalQuery, dueToExpireQuery, nextDueTime } from './subscription-due.js';
import { toDbTime, toDbTimeOrNull } from './values.js';

type Changes = Parameters<SubscriptionRepo['update']>[1];

function changedColumns(changes: Changes): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.startsAt !== undefined) row.starts_at = toDbTime(changes.startsAt);
  if (changes.expiresAt !== undefined) row.expires_at = toDbTimeOrNull(changes.expiresAt);
  if (changes.recurringChargeId !== undefined) row.recurring_charge_id = changes.recurringChargeId;
  // A new active term needs its own reminder and, when it ends, its own removal.
  if (changes.status === 'active') Object.assign(row, { reminded_at: null, removed_at: null, ended_notified_at: null });
  return row;
}

/** Builds the SubscriptionRepo. `knex` may be a transaction; multi-table writes nest inside it. */
export function createSubscriptionRepo(knex: Knex): SubscriptionRepo {
  const columns = subscriptionColumns('s');

  async function list(query: Knex.QueryBuilder, executor: Knex = knex): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await query.select(columns);
    return withChats(executor, rows);
  }

  async function load(id: number, executor: Knex = knex): Promise<Subscription | undefined> {
    return (await list(executor('subscriptions as s').where('s.id', id), executor))[0];
  }

  async function replaceChats(trx: Knex, id: number, chatIds: readonly number[]): Promise<void> {
    await trx('subscription_chats').where({ subscription_id: id }).del();
    const unique = [...new Set(chatIds)];
    if (unique.length > 0) await trx('subscription_chats').insert(unique.map((chatId, position) => ({ subscription_id: id, chat_id: chatId, position })));
  }

  return {
    get: (id) => load(id),
    forUser: (userId) => list(knex('subscriptions as s').where('s.user_id', userId).orderBy([{ column: 's.created_at', order: 'desc' }, { column: 's.id', order: 'desc' }])),
    async forUserAndPlan(userId, planId) {
      const query = knex('subscriptions as s').where('s.user_id', userId).orderBy('s.id', 'desc').limit(1);
      if (planId === null) query.whereNull('s.plan_id');
      else query.where('s.plan_id', planId);
      return (await list(query))[0];
    },
    async create(sub, at) {
      const now = toDbTime(at);
      return knex.transaction(async (trx) => {
        const inserted = await trx('subscriptions')
          .insert({
            user_id: sub.userId,
            plan_id: sub.planId,
            status: sub.status,
            starts_at: toDbTime(sub.startsAt),
            expires_at: toDbTimeOrNull(sub.expiresAt),
            recurring_charge_id: sub.recurringChargeId,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const id = returnedId(inserted);
        await replaceChats(trx, id, sub.chatIds);
        const created = await load(id, trx);
        if (!created) throw new Error(`Subscription ${id} vanished while being created.`);
        return created;
      });
    },
    async update(id, changes, at) {
      return knex.transaction(async (trx) => {
        const count = await trx('subscriptions').where({ id }).update({ ...changedColumns(changes), updated_at: toDbTime(at) });
        if (count === 0) throw new Error(`There is no subscription ${id} to update.`);
        if (changes.chatIds !== undefined) await replaceChats(trx, id, changes.chatIds);
        const updated = await load(id, trx);
        if (!updated) throw new Error(`Subscription ${id} vanished while being updated.`);
        return updated;
      });
    },
    async markReminded(id, at) {
      await knex('subscriptions').where({ id }).update({ reminded_at: toDbTime(at), updated_at: toDbTime(at) });
    },
    async markRemoved(id, at) {
      await knex('subscriptions').where({ id }).update({ removed_at: toDbTime(at), updated_at: toDbTime(at) });
    },
    dueToExpire: (before, limit) => list(dueToExpireQuery(knex, toDbTime(before)).limit(limit)),
    dueForReminder: (now, limit) => list(dueForReminderQuery(knex, toDbTime(now)).limit(limit)),
    dueForRemoval: (before, limit) => list(dueForRemovalQuery(knex, toDbTime(before)).limit(limit)),
    async nextDueAt(now, graceMs) {
      const next = await nextDueTime(knex, toDbTime(now), Math.round(graceMs));
      return next === undefined ? undefined : new Date(next);
    },
    async coversChat(userId, chatId, at) {
      const row = await knex('subscriptions as s')
        .join('subscription_chats as c', 'c.subscription_id', 's.id')
        .where({ 's.user_id': userId, 's.status': 'active', 'c.chat_id': chatId })
        .where((w) => void w.whereNull('s.expires_at').orWhere('s.expires_at', '>', toDbTime(at)))
        .first('s.id');
      return row !== undefined;
    },
  };
}
