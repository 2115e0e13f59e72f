/**
 * Runs the domain's sweep in a loop: it sleeps until the next due expiry,
 * removal or reminder, at most PAYWALL_SWEEP_INTERVAL, and can be woken early.
 */
import type { Logger } from 'pino';
import { sweep, type PaywallDeps } from '../paywall/index.js';

/** A running sweeper. */
export interface SweeperLoop {
  wake(): void;
  stop(): Promise<void>;
}

/** Starts sweeping at once. */
export function startSweeperLoop(deps: PaywallDeps, options: { graceMs: number; maxSleepMs: number; logger: Logger; onWork: () => void }): SweeperLoop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let wakeAgain = false;

  const run = async (): Promise<void> => {
    let sleep = options.maxSleepMs;
    try {
      const result = await sweep(deps, options.graceMs);
      if (result.expired || result.removalsQueued || result.remindersQueued) {
        options.logger.info(result, 'Sweep: subscriptions ended, removals and reminders queued');
        options.onWork();
      }
      if (result.nextDueAt) sleep = Math.max(50, Math.min(sleep, result.nextDueAt.getTime() - deps.clock.now().getTime() + 20));
    } catch (err) {
      options.logger.error(`The sweep failed: ${(err as Error).message}`);
    }
    if (wakeAgain) { wakeAgain = false; sleep = 0; }
    if (!stopped) timer = setTimeout(tick, sleep);
  };
  function tick(): void {
    if (stopped) return;
    if (running) { wakeAgain = true; return; }
    running = run().finally(() => { running = undefined; });
  }
  tick();
  return {
    wake() { if (!stopped) { clearTimeout(timer); tick(); } },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
