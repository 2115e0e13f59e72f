/** Broadcast history for the dashboard: newest first, in the Broadcast shape broadcast-repo.ts gives. */
import type { Knex } from 'knex';
import type { Broadcast } from '../../paywall/index.js';
import { fromDbInt, fromDbTime, fromDbTimeOrNull } from '../values.js';

type BroadcastRow = Record<'id' | 'text' | 'audience' | 'status' | 'total' | 'sent' | 'failed' | 'created_at' | 'finished_at', unknown>;

// The same mapping as broadcast-repo.ts's (not exported there); the tests compare the two field by field.
function toBroadcast(row: BroadcastRow): Broadcast {
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

/** One page of broadcasts, newest first (by id: the primary key, in creation order), and how many there are. */
export async function listBroadcasts(knex: Knex, range: { offset: number; limit: number }): Promise<{ items: Broadcast[]; total: number }> {
  const [counted] = (await knex('broadcasts').count({ n: '*' })) as Array<{ n: unknown }>;
  const rows: BroadcastRow[] = await knex('broadcasts')
    .orderBy('id', 'desc')
    .offset(range.offset)
    .limit(range.limit)
    .select('id', 'text', 'audience', 'status', 'total', 'sent', 'failed', 'created_at', 'finished_at');
  return { items: rows.map(toBroadcast), total: fromDbInt(counted?.n ?? 0) };
}
