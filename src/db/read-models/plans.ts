/** Plans for the JSON API: a page of plans by id, each with its chats in order. */
import type { Knex } from 'knex';
import type { Plan } from '../../paywall/index.js';
import { fromDbBool, fromDbInt } from '../values.js';
import { groupBy } from './rows.js';

type PlanRow = Record<'id' | 'title' | 'description' | 'price' | 'duration' | 'recurring' | 'active', unknown>;

/** Reads one page of plans and how many there are. */
export async function listPlans(knex: Knex, page: { offset: number; limit: number }): Promise<{ items: Plan[]; total: number }> {
  const [{ total }] = (await knex('plans').count({ total: '*' })) as [{ total: unknown }];
  const rows: PlanRow[] = await knex('plans').orderBy('id').offset(page.offset).limit(page.limit).select('id', 'title', 'description', 'price', 'duration', 'recurring', 'active');
  const ids = rows.map((r) => fromDbInt(r.id));
  const chatRows: { plan_id: unknown; chat_id: unknown }[] = ids.length === 0 ? [] : await knex('plan_chats').whereIn('plan_id', ids).orderBy(['plan_id', 'position']).select('plan_id', 'chat_id');
  const chats = groupBy(chatRows, (r) => fromDbInt(r.plan_id));
  const items = rows.map((row): Plan => {
    const id = fromDbInt(row.id);
    return {
      id,
      title: String(row.title),
      description: String(row.description ?? ''),
      price: fromDbInt(row.price),
      duration: String(row.duration),
      chatIds: (chats.get(id) ?? []).map((c) => fromDbInt(c.chat_id)),
      active: fromDbBool(row.active),
      recurring: fromDbBool(row.recurring),
    };
  });
  return { items, total: Number(total) };
}
