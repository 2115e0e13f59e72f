/**
 * Graceful shutdown of every child: SIGTERM, up to the grace period, then
 * SIGKILL for whoever is still there.
 */
import type { Logger } from 'pino';
import type { ManagedChild } from './managed-child.js';

/** Stop all children; true when every one was gone within `graceMs` without SIGKILL. */
export async function shutDownChildren(
  children: readonly ManagedChild[],
  graceMs: number,
  logger: Logger,
): Promise<boolean> {
  const allGone = Promise.all(children.map((child) => child.stop()));
  if (await settlesWithin(allGone, graceMs)) return true;
  const survivors = children.filter((child) => child.state === 'running').map((child) => child.name);
  logger.warn({ children: survivors, graceMs }, `${survivors.join(', ')} still running ${graceMs} ms after SIGTERM`);
  for (const child of children) child.forceKill();
  await allGone;
  return false;
}

/** Whether `promise` settles within `ms`; the timer never outlives the answer. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
