/**
 * The BroadcastRepo port over `broadcasts` and `broadcast_recipients`. The
 * audience is resolved once, in SQL (INSERT … SELECT), so a broadcast to a
 * hundred thousand users is one statement, not a loop.
 */
import type { Knex } from 'knex';
import type { Broadcast, BroadcastRepo } from '../paywall/index.js';
import { returnedId } from './repo-rows.js';
import { fromDbInt, fromDbTime, fromDbTimeOrNull, toDbTime } from './values.js';

/** A broadcasts row as the drivers return it. */
export type BroadcastRow = Record<'id' | 'text' | 'audience' | 'status' | 'total' | 'sent' | 'failed' | 'created_at' | 'finished_at', unknown>;

/** What a recipient left `sending` by a crash is marked with. */
export const INTERRUPTED_ERROR = 'interrupted by a crash';

/** A broadcasts row as a Broadcast (also used by the dashboard's history read model). */
export function toBroadcast(row: BroadcastRow): Broadcast {
  return {
    id: fromDbInt(row.id),
    text: String(row.text),
    audience: String(row.audience) as Broadcast['audience'],
    status: String(row.status) as Broadcast['status'],
    total: fromDbInt(row.total),
    sent: fromDbInt(row.sent),
    failed: fromDbInt(row.failed),
    createdAt: fromDbTime(row.created_at),
    finishedAt: fromDbTimeOrNull(row.finished_at),
  };
}

/** Users (alias `u`) with a subscription giving access at `now`. */
function liveSubscription(knex: Knex, now: number): Knex.QueryBuilder {
  return knex('subscriptions as s')
    .select(knex.raw('1'))
    .whereRaw('?? = ??', ['s.user_id', 'u.id'])
    .where('s.status', 'active')
    .where((w) => void w.whereNull('s.expires_at').orWhere('s.expires_at', '>', now));
}

/** The audience as `select <broadcastId>, u.id` rows for broadcast_recipients, blocked users left out. */
export function audienceQuery(knex: Knex, broadcastId: number, audience: Broadcast['audience'], now: number): Knex.QueryBuilder {
  const query = knex('users as u').select(knex.raw('cast(? as integer)', [broadcastId]), 'u.id').where('u.blocked', false);
  if (audience === 'active') query.whereExists(liveSubscription(knex, now));
  if (audience === 'expired') {
    query.whereExists(knex('subscriptions as s').select(knex.raw('1')).whereRaw('?? = ??', ['s.user_id', 'u.id'])).whereNotExists(liveSubscription(knex, now));
  }
  return query;
}

/** Builds the BroadcastRepo. `knex` may be a transaction; multi-row writes nest inside it. */
export function createBroadcastRepo(knex: Knex): BroadcastRepo {
  const recipients = (id: number, executor: Knex = knex) => executor('broadcast_recipients').where({ broadcast_id: id });

  async function get(id: number, executor: Knex = knex): Promise<Broadcast | undefined> {
    const row: BroadcastRow | undefined = await executor('broadcasts').where({ id }).first();
    return row ? toBroadcast(row) : undefined;
  }

  return {
    async create(text, audience, createdBy, at) {
      const now = toDbTime(at);
      return knex.transaction(async (trx) => {
        const id = returnedId(await trx('broadcasts').insert({ text, audience, status: 'queued', total: 0, sent: 0, failed: 0, created_by: createdBy, created_at: now }).returning('id'));
        const select = audienceQuery(trx, id, audience, now).toSQL();
        await trx.raw(`insert into broadcast_recipients (broadcast_id, user_id) ${select.sql}`, select.bindings);
        const [count] = await recipients(id, trx).count({ n: '*' });
        await trx('broadcasts').where({ id }).update({ total: fromDbInt(count?.n ?? 0) });
        const created = await get(id, trx);
        if (!created) throw new Error(`Broadcast ${id} vanished while being created.`);
        return created;
      });
    },
    get: (id) => get(id),
    async pendingRecipients(id, limit) {
      const rows: Array<{ user_id: unknown }> = await recipients(id).where({ status: 'pending' }).orderBy('user_id').limit(limit).select('user_id');
      return rows.map((row) => fromDbInt(row.user_id));
    },
    async failInFlight(id, at) {
      return knex.transaction(async (trx) => {
        const count = await recipients(id, trx).where({ status: 'sending' }).update({ status: 'failed', error: INTERRUPTED_ERROR, attempted_at: toDbTime(at) });
        if (count > 0) await trx('broadcasts').where({ id }).increment('failed', count);
        return count;
      });
    },
    async markSending(id, userId, at) {
      await recipients(id).where({ user_id: userId, status: 'pending' }).update({ status: 'sending', attempted_at: toDbTime(at) });
    },
    async markResult(id, userId, ok, error, at) {
      await knex.transaction(async (trx) => {
        // Only an unsettled recipient counts, so a repeated result never counts twice.
        const count = await recipients(id, trx)
          .where({ user_id: userId })
          .whereIn('status', ['pending', 'sending'])
          .update({ status: ok ? 'sent' : 'failed', error: ok ? null : error, attempted_at: toDbTime(at) });
        if (count > 0) await trx('broadcasts').where({ id }).increment(ok ? 'sent' : 'failed', count);
      });
    },
    async setStatus(id, status, at) {
      const when = status === 'running'
        ? { started_at: knex.raw('coalesce(??, ?)', ['started_at', toDbTime(at)]) }
        : status === 'done' || status === 'failed' ? { finished_at: toDbTime(at) } : {};
      await knex('broadcasts').where({ id }).update({ status, ...when });
    },
  };
}
