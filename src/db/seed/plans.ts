/**
 * The plans demo purchases are made on: the database's active plans when it
 * has any (a forced seed appends to them), else four demo plans created here,
 * each protecting the given chat.
 */
import type { Knex } from 'knex';
import { fromDbBool, fromDbInt, fromDbIntOrNull } from '../values.js';

/** What the generator needs to know of a plan. */
export interface SeedPlan {
  readonly id: number;
  readonly price: number;
  /** Null: lifetime. */
  readonly durationSeconds: number | null;
  readonly recurring: boolean;
  readonly chatIds: readonly number[];
  /** How often buyers choose it, relative to the others. */
  readonly weight: number;
}

const DAY_S = 86_400;

const DEMO_PLANS = [
  { title: 'Monthly', description: 'Renews every 30 days.', price: 250, duration: '30d', durationSeconds: 30 * DAY_S, recurring: true, weight: 45 },
  { title: 'Week pass', description: 'Seven days of access.', price: 75, duration: '7d', durationSeconds: 7 * DAY_S, recurring: false, weight: 25 },
  { title: 'Quarter', description: 'Ninety days of access.', price: 600, duration: '90d', durationSeconds: 90 * DAY_S, recurring: false, weight: 20 },
  { title: 'Lifetime', description: 'Access for good.', price: 2500, duration: 'lifetime', durationSeconds: null, recurring: false, weight: 10 },
] as const;

/** Reads the active plans, or creates the demo plans when there are none; returns them with how many were created. */
export async function ensureSeedPlans(knex: Knex, chatId: number, nowMs: number): Promise<{ plans: SeedPlan[]; created: number }> {
  const existing = await readActivePlans(knex, chatId);
  if (existing.length > 0) return { plans: existing, created: 0 };
  await knex.transaction(async (trx) => {
    for (const plan of DEMO_PLANS) {
      const [inserted] = await trx('plans')
        .insert({
          title: plan.title, description: plan.description, price: plan.price, duration: plan.duration,
          duration_seconds: plan.durationSeconds, recurring: plan.recurring, active: true, created_at: nowMs, updated_at: nowMs,
        })
        .returning('id');
      const id = fromDbInt(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
      await trx('plan_chats').insert({ plan_id: id, chat_id: chatId, position: 0 });
    }
  });
  return { plans: await readActivePlans(knex, chatId), created: DEMO_PLANS.length };
}

async function readActivePlans(knex: Knex, fallbackChatId: number): Promise<SeedPlan[]> {
  const rows: Record<string, unknown>[] = await knex('plans').where({ active: true }).orderBy('id').select('id', 'title', 'price', 'duration_seconds', 'recurring');
  const chats: Record<string, unknown>[] = await knex('plan_chats').orderBy(['plan_id', 'position']).select('plan_id', 'chat_id');
  return rows.map((row) => {
    const id = fromDbInt(row.id);
    const chatIds = chats.filter((c) => fromDbInt(c.plan_id) === id).map((c) => fromDbInt(c.chat_id));
    const demo = DEMO_PLANS.find((p) => p.title === row.title);
    return {
      id,
      price: fromDbInt(row.price),
      durationSeconds: fromDbIntOrNull(row.duration_seconds),
      recurring: fromDbBool(row.recurring),
      chatIds: chatIds.length > 0 ? chatIds : [fallbackChatId],
      weight: demo?.weight ?? 20,
    };
  });
}
