/**
 * Buying: orders with unguessable invoice payloads, and the pre-checkout
 * decision (answered from the database alone, so within a second).
 */
import { randomBytes } from 'node:crypto';
import type { PaywallDeps } from './deps.js';
import { PaywallError } from './errors.js';
import type { Order, Plan } from './index.js';

/** The invoice currency for Telegram Stars. */
export const STARS = 'XTR';

/** Creates a pending order for an active plan; PLAN_UNAVAILABLE otherwise. */
export async function createOrder(deps: PaywallDeps, userId: number, planId: number): Promise<{ order: Order; plan: Plan }> {
  const plan = await deps.store.plans.get(planId);
  if (!plan || !plan.active) throw new PaywallError('PLAN_UNAVAILABLE', `Plan ${planId} is not for sale.`, { planId });
  // 24 random bytes: unguessable, and 33 characters, well within Telegram's 128-byte payload.
  const payload = `o${randomBytes(24).toString('base64url')}`;
  const order = await deps.store.orders.create({ payload, userId, planId, amount: plan.price, currency: STARS, createdAt: deps.clock.now() });
  return { order, plan };
}

/** A pre-checkout query, as the bot received it. */
export interface PreCheckoutInput {
  userId: number;
  payload: string;
  currency: string;
  totalAmount: number;
}

/** Why a pre-checkout was declined; each maps to a text the user understands. */
export type DeclineReason = 'unknown_order' | 'not_pending' | 'plan_unavailable' | 'mismatch' | 'cannot_manage_chat';

/** The decision: ok, or a reason to decline. */
export type PreCheckoutDecision = { ok: true; order: Order; plan: Plan } | { ok: false; reason: DeclineReason };

/** True when the bot is an admin that can invite and remove members in every chat. */
export async function canManageChats(deps: PaywallDeps, chatIds: readonly number[]): Promise<boolean> {
  for (const chatId of chatIds) {
    const chat = await deps.store.chats.get(chatId);
    if (!chat || !['administrator', 'creator'].includes(chat.botStatus ?? '') || !chat.canInviteUsers || !chat.canRestrictMembers) return false;
  }
  return chatIds.length > 0;
}

/** Decides a pre-checkout: ok only for a pending order of this user, for an active plan whose chats the bot can manage, at the invoiced price. */
export async function decidePreCheckout(deps: PaywallDeps, input: PreCheckoutInput): Promise<PreCheckoutDecision> {
  const order = await deps.store.orders.byPayload(input.payload);
  if (!order || order.userId !== input.userId) return { ok: false, reason: 'unknown_order' };
  if (order.status !== 'pending') return { ok: false, reason: 'not_pending' };
  if (input.currency !== STARS || input.totalAmount !== order.amount || order.currency !== STARS) return { ok: false, reason: 'mismatch' };
  const plan = await deps.store.plans.get(order.planId);
  if (!plan || !plan.active) return { ok: false, reason: 'plan_unavailable' };
  if (!(await canManageChats(deps, plan.chatIds))) return { ok: false, reason: 'cannot_manage_chat' };
  return { ok: true, order, plan };
}
