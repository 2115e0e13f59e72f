/** Broadcast history for the dashboard: newest first, in the Broadcast shape broadcast-repo.ts gives. */
import type { Knex } from 'knex';
import type { Broadcast } from '../../paywall/index.js';
import { toBroadcast, type BroadcastRow } from '../broadcast-repo.js';
import { fromDbInt } from '../values.js';

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
