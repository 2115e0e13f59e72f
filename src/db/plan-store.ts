/** The PlanStore port over the `plans` and `plan_chats` tables. */
import type { Knex } from 'knex';
import type { Clock, Plan, PlanFields, PlanStore } from '../paywall/index.js';
import { fromDbBool, fromDbInt, toDbTime } from './values.js';

interface PlanRow {
  id: unknown;
  title: string;
  description: string;
  price: unknown;
  duration: string;
  recurring: unknown;
  active: unknown;
}

interface PlanChatRow {
  plan_id: unknown;
  chat_id: unknown;
}

function toPlan(row: PlanRow, chatIds: number[]): Plan {
  return {
    id: fromDbInt(row.id),
    title: row.title,
    description: row.description,
    price: fromDbInt(row.price),
    duration: row.duration,
    chatIds,
    active: fromDbBool(row.active),
    recurring: fromDbBool(row.recurring),
  };
}

function columns(fields: Partial<PlanFields>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (fields.title !== undefined) row.title = fields.title;
  if (fields.description !== undefined) row.description = fields.description;
  if (fields.price !== undefined) row.price = fields.price;
  if (fields.duration !== undefined) {
    row.duration = fields.duration;
    row.duration_seconds = fields.durationSeconds ?? null;
  }
  if (fields.recurring !== undefined) row.recurring = fields.recurring;
  if (fields.active !== undefined) row.active = fields.active;
  return row;
}

/** Builds the PlanStore. `knex` may be a transaction, so callers can compose plan writes with others. */
export function createPlanStore(knex: Knex, clock: Clock = { now: () => new Date() }): PlanStore {
  async function chatsOf(planIds: number[], executor: Knex = knex): Promise<Map<number, number[]>> {
    const byPlan = new Map<number, number[]>(planIds.map((id) => [id, []]));
    if (planIds.length === 0) return byPlan;
    const rows: PlanChatRow[] = await executor('plan_chats').whereIn('plan_id', planIds).orderBy(['plan_id', 'position']).select('plan_id', 'chat_id');
    for (const row of rows) byPlan.get(fromDbInt(row.plan_id))?.push(fromDbInt(row.chat_id));
    return byPlan;
  }

  async function load(id: number, executor: Knex = knex): Promise<Plan | undefined> {
    const row: PlanRow | undefined = await executor('plans').where({ id }).first();
    if (!row) return undefined;
    return toPlan(row, (await chatsOf([id], executor)).get(id) ?? []);
  }

  async function replaceChats(trx: Knex, planId: number, chatIds: readonly number[]): Promise<void> {
    await trx('plan_chats').where({ plan_id: planId }).del();
    if (chatIds.length > 0) await trx('plan_chats').insert(chatIds.map((chatId, position) => ({ plan_id: planId, chat_id: chatId, position })));
  }

  async function change(id: number, fields: Partial<PlanFields>): Promise<Plan | undefined> {
    return knex.transaction(async (trx) => {
      const count = await trx('plans').where({ id }).update({ ...columns(fields), updated_at: toDbTime(clock.now()) });
      if (count === 0) return undefined;
      if (fields.chatIds !== undefined) await replaceChats(trx, id, fields.chatIds);
      return load(id, trx);
    });
  }

  return {
    async create(fields) {
      const now = toDbTime(clock.now());
      return knex.transaction(async (trx) => {
        const [inserted] = await trx('plans').insert({ ...columns(fields), created_at: now, updated_at: now }).returning('id');
        const id = fromDbInt(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
        await replaceChats(trx, id, fields.chatIds);
        const plan = await load(id, trx);
        if (!plan) throw new Error(`Plan ${id} vanished while being created.`);
        return plan;
      });
    },
    get: (id) => load(id),
    async list(options = {}) {
      const query = knex('plans').orderBy('id');
      if (options.activeOnly) query.where({ active: true });
      const rows: PlanRow[] = await query.select('*');
      const chats = await chatsOf(rows.map((r) => fromDbInt(r.id)));
      return rows.map((row) => toPlan(row, chats.get(fromDbInt(row.id)) ?? []));
    },
    update: (id, changes) => change(id, changes),
    setActive: (id, active) => change(id, { active }),
  };
}
