/**
 * Grants and revocations: they change the subscription at once and queue their
 * Telegram side effects (invite, removal, notice) as jobs. The bot's admin
 * commands and the dashboard call these same functions.
 */
import type { PaywallDeps } from './deps.js';
import { PaywallError } from './errors.js';
import { parsePlanDuration } from './plans.js';
import { addTerm } from './subscriptions.js';
import { isLive, queueRemoval } from './term.js';
import type { Subscription } from './index.js';

/** A grant: `duration` as written (`7d`, `lifetime`), optionally on a plan. */
export interface GrantInput {
  userId: number;
  duration: string;
  planId?: number;
  actor: string;
}

/** Gives a user time; an unseen user is created. Without a plan it covers PAYWALL_CHAT_ID. */
export async function grantAccess(deps: PaywallDeps, input: GrantInput): Promise<Subscription> {
  if (!Number.isSafeInteger(input.userId) || input.userId <= 0) throw new PaywallError('USER_NOT_FOUND', 'A user id is a positive Telegram user id.', { field: 'userId' });
  const duration = parsePlanDuration(input.duration);
  if (!duration || duration.seconds === 0) {
    throw new PaywallError('DURATION_INVALID', `"${input.duration}" is not a duration: use 7d, 12h, 30m, 90s or lifetime.`, { field: 'duration' });
  }
  let chatIds: readonly number[];
  if (input.planId !== undefined) {
    const plan = await deps.store.plans.get(input.planId);
    if (!plan) throw new PaywallError('PLAN_NOT_FOUND', `There is no plan ${input.planId}.`, { field: 'planId', planId: input.planId });
    chatIds = plan.chatIds;
  } else {
    if (deps.defaultChatId === undefined) throw new PaywallError('NO_DEFAULT_CHAT', 'A grant without a plan needs PAYWALL_CHAT_ID (the default protected chat); none is set.', { field: 'planId' });
    chatIds = [deps.defaultChatId];
  }
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await tx.users.ensure(input.userId, now);
    await tx.users.lock(input.userId);
    const sub = await addTerm(tx, { userId: input.userId, planId: input.planId ?? null, chatIds, seconds: duration.seconds }, now);
    await tx.audit.record({ actor: input.actor, action: 'grant', target: `user:${input.userId}`, details: { duration: duration.text, planId: input.planId ?? null, expiresAt: sub.expiresAt?.toISOString() ?? null } }, now);
    await tx.jobs.enqueue({ type: 'invite', payload: { userId: input.userId, subscriptionId: sub.id, reason: 'grant' } }, now);
    return sub;
  });
}

/** Ends every live subscription of a user at once; removals and the notice follow as jobs. */
export async function revokeAccess(deps: PaywallDeps, input: { userId: number; actor: string }): Promise<Subscription[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await tx.users.lock(input.userId);
    if (!(await tx.users.get(input.userId))) throw new PaywallError('USER_NOT_FOUND', `There is no user ${input.userId}.`, { userId: input.userId });
    const revoked: Subscription[] = [];
    for (const sub of await tx.subscriptions.forUser(input.userId)) {
      if (!isLive(sub.status, sub.expiresAt, now)) continue;
      revoked.push(await tx.subscriptions.update(sub.id, { status: 'revoked' }, now));
      await queueRemoval(tx, sub, 'revoke.notice', now);
    }
    await tx.audit.record({ actor: input.actor, action: 'revoke', target: `user:${input.userId}`, details: { subscriptions: revoked.map((s) => s.id) } }, now);
    return revoked;
  });
}

/** Whether a join request to a chat should be approved: the user's subscription covers the chat now. */
export async function decideJoinRequest(deps: PaywallDeps, userId: number, chatId: number): Promise<boolean> {
  return deps.store.subscriptions.coversChat(userId, chatId, deps.clock.now());
}
