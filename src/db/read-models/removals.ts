/**
 * Upcoming removals: the members the next sweeps will remove, by the rule the
 * sweeper and its removal job apply (subscription-due.ts, paywall/sweeper.ts,
 * the `remove` job): a subscription that ended or ends before `until` (an
 * expiry, swept or not yet; or a revocation: due at once), whose removal is
 * not queued yet (`removed_at` null), removes its member from each of its chats
 * at `expires_at + grace`, unless another subscription of the user covering
 * that chat is still live then (the job checks at the time it runs: the
 * removal time, or now when that is past). One row per subscription and chat.
 */
import type { Knex } from 'knex';
import { REMOVAL_DUE_SQL } from '../migrations/003-page-read-indexes.js';
import { textOrNull } from '../repo-rows.js';
import { fromDbInt, fromDbIntOrNull, fromDbTime, toDbTime } from '../values.js';

/** One member the next sweeps will remove from one chat. */
export interface UpcomingRemoval {
  userId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  subscriptionId: number;
  planId: number | null;
  planTitle: string | null;
  chatId: number;
  chatTitle: string | null;
  /** When access ended or ends: the expiry, or for a revoked subscription the revocation. */
  expiresAt: Date;
  /** expiresAt + grace (a revocation: at once); the first sweep after this removes the member. */
  removeAt: Date;
}

/** Which removals to read: those ending before `until`, as seen at `now`, one page of them. */
export interface UpcomingRemovalQuery {
  now: Date;
  until: Date;
  graceMs: number;
  offset: number;
  limit: number;
}

type RemovalRow = Record<
  'subscription_id' | 'user_id' | 'plan_id' | 'chat_id' | 'username' | 'first_name' | 'last_name' | 'plan_title' | 'chat_title' | 'ended_at' | 'remove_at',
  unknown
>;

// Migration 003's indexed expression, on alias `s`: when a removal not queued yet falls due (grace aside).
const DUE = REMOVAL_DUE_SQL.replace(/\b(removed_at|status|updated_at|expires_at)\b/g, 's.$1');
// When access ended: the expiry, or the revocation. A revocation is removed at once, an expiry after the grace period.
const ENDED_AT = "(case when s.status = 'revoked' then s.updated_at else s.expires_at end)";
const REMOVE_AT = "(case when s.status = 'revoked' then s.updated_at else s.expires_at + cast(? as bigint) end)";
// When the removal job runs and asks whether another subscription covers the chat: the removal time, or now if that has passed.
const CHECKED_AT = `(case when ${REMOVE_AT} > cast(? as bigint) then ${REMOVE_AT} else cast(? as bigint) end)`;

function graceOf(query: UpcomingRemovalQuery): number {
  if (!Number.isFinite(query.graceMs) || query.graceMs < 0) throw new RangeError(`Expected a grace period of 0 ms or more, got ${query.graceMs}.`);
  return Math.round(query.graceMs);
}

function candidates(knex: Knex, query: UpcomingRemovalQuery): Knex.QueryBuilder {
  const grace = graceOf(query);
  const now = toDbTime(query.now);
  const coveredLater = knex('subscriptions as o')
    .join('subscription_chats as oc', 'oc.subscription_id', 'o.id')
    .select(knex.raw('1'))
    .whereRaw('?? = ??', ['o.user_id', 's.user_id'])
    .whereRaw('?? = ??', ['oc.chat_id', 'c.chat_id'])
    .whereRaw('?? <> ??', ['o.id', 's.id'])
    .where('o.status', 'active')
    .where((w) => void w.whereNull('o.expires_at').orWhereRaw(`o.expires_at > ${CHECKED_AT}`, [grace, now, grace, now]));
  return knex('subscriptions as s')
    .join('subscription_chats as c', 'c.subscription_id', 's.id')
    .whereRaw(`${DUE} < ?`, [toDbTime(query.until)])
    .whereNotExists(coveredLater);
}

function toRemoval(row: RemovalRow): UpcomingRemoval {
  return {
    userId: fromDbInt(row.user_id),
    username: textOrNull(row.username),
    firstName: textOrNull(row.first_name),
    lastName: textOrNull(row.last_name),
    subscriptionId: fromDbInt(row.subscription_id),
    planId: fromDbIntOrNull(row.plan_id),
    planTitle: textOrNull(row.plan_title),
    chatId: fromDbInt(row.chat_id),
    chatTitle: textOrNull(row.chat_title),
    expiresAt: fromDbTime(row.ended_at),
    removeAt: fromDbTime(row.remove_at),
  };
}

/** One page of upcoming removals, soonest first, and how many there are. */
export async function listUpcomingRemovals(knex: Knex, query: UpcomingRemovalQuery): Promise<{ items: UpcomingRemoval[]; total: number }> {
  const grace = graceOf(query);
  const [counted] = (await candidates(knex, query).count({ n: '*' })) as Array<{ n: unknown }>;
  const rows: RemovalRow[] = await candidates(knex, query)
    .join('users as u', 'u.id', 's.user_id')
    .leftJoin('plans as p', 'p.id', 's.plan_id')
    .leftJoin('protected_chats as pc', 'pc.chat_id', 'c.chat_id')
    .select(
      's.id as subscription_id', 's.user_id', 's.plan_id', 'c.chat_id', 'u.username', 'u.first_name', 'u.last_name',
      'p.title as plan_title', 'pc.title as chat_title',
      knex.raw(`${ENDED_AT} as ended_at`),
      knex.raw(`${REMOVE_AT} as remove_at`, [grace]),
    )
    .orderByRaw(`${REMOVE_AT}, s.id, c.position, c.chat_id`, [grace])
    .offset(query.offset)
    .limit(query.limit);
  return { items: rows.map(toRemoval), total: fromDbInt(counted?.n ?? 0) };
}
