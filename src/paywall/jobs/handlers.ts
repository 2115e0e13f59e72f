/**
 * One handler per job type. Each is safe to run again after a crash: what it
 * already did is either recorded or harmless to repeat.
 */
import { applyRefund } from '../refunds.js';
import { isLive } from '../term.js';
import { GatewayError, type Button } from '../telegram-port.js';
import type { Job, JobType } from '../ops-ports.js';
import type { JobDeps, TextParams } from './job-deps.js';
import { notifyAdmins, notifyUser, renewButton } from './notify.js';
import { runBroadcast } from './broadcast-job.js';

type Handler = (deps: JobDeps, payload: Record<string, unknown>, job: Job) => Promise<Record<string, unknown>>;

const num = (v: unknown) => Number(v);

async function invite(deps: JobDeps, p: Record<string, unknown>, job: Job): Promise<Record<string, unknown>> {
  // A crash during the send leaves no way to know whether it reached the user: like a broadcast, never send it twice.
  if (job.result?.sending === true) {
    deps.log.warn({ jobId: job.id, userId: p.userId }, 'An invite message was in flight at a crash: not sent again (/status offers a fresh link)');
    return { skipped: 'in flight at a crash' };
  }
  const sub = await deps.store.subscriptions.get(num(p.subscriptionId));
  const now = deps.clock.now();
  if (!sub || !isLive(sub.status, sub.expiresAt, now)) return { skipped: 'subscription not active' };
  const links: Button[][] = [];
  for (const chatId of sub.chatIds) {
    const chat = await deps.store.chats.get(chatId);
    const link = await deps.gateway.createInviteLink(chatId, `paywall ${sub.userId}`.slice(0, 32));
    await deps.store.invites.create({ inviteLink: link, userId: sub.userId, chatId, subscriptionId: sub.id }, now);
    links.push([{ text: chat?.title ?? `Chat ${chatId}`, url: link }]);
  }
  const key = p.reason === 'grant' ? 'grant.notice' : p.reason === 'status' ? 'payment.invite_intro' : 'payment.confirmed';
  const plan = sub.planId !== null ? await deps.store.plans.get(sub.planId) : undefined;
  const checkpoint = () => deps.store.jobs.checkpoint(job.id, { sending: true }, deps.clock.now());
  const sent = await notifyUser(deps, sub.userId, key, { title: plan?.title ?? '', expiry: sub.expiresAt }, () => links, checkpoint);
  return { links: links.length, sent };
}

async function remove(deps: JobDeps, p: Record<string, unknown>): Promise<Record<string, unknown>> {
  const sub = await deps.store.subscriptions.get(num(p.subscriptionId));
  if (!sub) return { skipped: 'unknown subscription' };
  const now = deps.clock.now();
  let removed = 0;
  for (const chatId of sub.chatIds) {
    // Another live subscription may still cover the chat: keep the member then.
    if (await deps.store.subscriptions.coversChat(sub.userId, chatId, now)) continue;
    try {
      await deps.gateway.removeMember(chatId, sub.userId);
      await deps.store.chats.setMember(chatId, sub.userId, 'left', now);
      removed += 1;
    } catch (err) {
      if (!(err instanceof GatewayError) || err.kind !== 'permanent') throw err;
      deps.log.warn({ chatId, userId: sub.userId }, `Could not remove a member: ${err.message}`);
    }
  }
  await deps.store.subscriptions.markRemoved(sub.id, now);
  const notice = typeof p.notice === 'string' ? p.notice : null;
  const title = sub.planId !== null ? ((await deps.store.plans.get(sub.planId))?.title ?? '') : '';
  const sent = notice ? await notifyUser(deps, sub.userId, notice, { expiry: sub.expiresAt, title }, (lang) => renewButton(deps, lang, sub.planId)) : false;
  return { removed, sent };
}

async function refund(deps: JobDeps, p: Record<string, unknown>): Promise<Record<string, unknown>> {
  const chargeId = String(p.chargeId);
  const payment = await deps.store.payments.get(chargeId);
  if (!payment) throw new GatewayError('permanent', 'unknown payment');
  if (payment.status === 'refunded') return { skipped: 'already refunded' };
  try {
    await deps.gateway.refundStarPayment(payment.userId, chargeId);
  } catch (err) {
    // Refunded at Telegram already (e.g. a crash after the call): record it here too.
    if (!(err instanceof GatewayError && /ALREADY_REFUNDED/i.test(err.message))) throw err;
  }
  return { applied: await applyRefund(deps, chargeId, 'admin') };
}

async function message(deps: JobDeps, p: Record<string, unknown>): Promise<Record<string, unknown>> {
  const params = { ...(p.params as TextParams | undefined) };
  if (typeof params.expiresAt === 'string') params.expiry = new Date(params.expiresAt);
  if (typeof params.planId === 'number' && params.title === undefined) params.title = (await deps.store.plans.get(params.planId))?.title ?? '';
  const renew = p.renewPlanId === undefined ? undefined : (p.renewPlanId as number | null);
  return { sent: await notifyUser(deps, num(p.userId), String(p.key), params, (lang) => renewButton(deps, lang, renew)) };
}

const HANDLERS: Record<JobType, Handler> = {
  invite,
  remove,
  refund,
  message,
  cancel_subscription: async (deps, p) => {
    await deps.gateway.cancelStarSubscription(num(p.userId), String(p.chargeId));
    return { cancelled: true };
  },
  broadcast: async (deps, p) => runBroadcast(deps, num(p.broadcastId)),
  admin_notice: async (deps, p) => ({ sent: await notifyAdmins(deps, String(p.key), p.params as TextParams) }),
};

/** The handler for a job type. */
export function handlerFor(type: JobType): Handler {
  return HANDLERS[type];
}
