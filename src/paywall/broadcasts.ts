/** Broadcasts: a message to an audience, sent by a durable job that resumes after a crash. */
import type { PaywallDeps } from './deps.js';
import { PaywallError } from './errors.js';
import type { Broadcast } from './index.js';

const AUDIENCES = ['active', 'expired', 'all'] as const;

/** Checks a broadcast text; returns an error message or undefined. Supplied by the texts module. */
export type HtmlCheck = (html: string) => string | undefined;

/** Creates a broadcast (audience resolved now, blocked users left out) and queues its job. */
export async function startBroadcast(
  deps: PaywallDeps,
  input: { text: string; audience: string; actor: string },
  checkHtml: HtmlCheck,
): Promise<Broadcast> {
  if (!AUDIENCES.includes(input.audience as Broadcast['audience'])) {
    throw new PaywallError('BROADCAST_INVALID', `audience must be one of ${AUDIENCES.join(', ')}.`, { field: 'audience' });
  }
  const problem = typeof input.text === 'string' ? checkHtml(input.text) : 'text must be a string';
  if (problem) throw new PaywallError('BROADCAST_INVALID', `text is not valid Telegram HTML: ${problem}.`, { field: 'text' });
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const broadcast = await tx.broadcasts.create(input.text, input.audience as Broadcast['audience'], input.actor, now);
    await tx.jobs.enqueue({ type: 'broadcast', payload: { broadcastId: broadcast.id }, maxAttempts: 1000, dedupeKey: `broadcast:${broadcast.id}` }, now);
    await tx.audit.record({ actor: input.actor, action: 'broadcast', target: `broadcast:${broadcast.id}`, details: { audience: input.audience, total: broadcast.total } }, now);
    return broadcast;
  });
}
