/**
 * Runs reconciliation with Telegram's Stars ledger at start-up and then every
 * PAYWALL_RECONCILE_INTERVAL: a run that fails is logged and tried again at
 * the next interval, never thrown; a run cut short by its page bound is
 * followed by another one soon, so a long history is caught up quickly.
 */
import type { Logger } from 'pino';
import { reconcilePayments, type ReconcileDeps, type ReconcileOptions, type ReconcileReport } from '../paywall/index.js';

/** What the loop needs besides the domain's deps. */
export interface ReconcileLoopOptions extends ReconcileOptions {
  /** PAYWALL_RECONCILE_INTERVAL, in milliseconds. */
  intervalMs: number;
  logger: Logger;
  /** Aborting it stops the loop (an in-flight run finishes). */
  signal?: AbortSignal;
  /** Called after a run that recorded or refunded something (the job runner has confirmations to send). */
  onRepaired?: () => void;
  /** The pause before the next run when the last one stopped at its page bound; default 1 s. */
  catchUpDelayMs?: number;
}

/** A running reconciliation loop. */
export interface ReconcileLoop {
  /** Runs once more now (after any run in flight); resolves with its report, or undefined when it failed or the loop is stopped. */
  runNow(): Promise<ReconcileReport | undefined>;
  /** Stops the loop and waits for a run in flight. */
  stop(): Promise<void>;
}

function logReport(logger: Logger, report: ReconcileReport): void {
  const { scanned, recorded, refunded, skipped, more } = report;
  const summary = { scanned, recorded: recorded.length, refunded: refunded.length, skipped: skipped.length, more };
  const line = `Reconciled Stars transactions: ${recorded.length} missed payment(s) recorded, ${refunded.length} refund(s) applied, ${skipped.length} skipped`;
  if (recorded.length + refunded.length + skipped.length > 0) logger.info({ ...summary, chargeIds: [...recorded, ...refunded] }, line);
  else logger.debug(summary, line);
}

/** Starts reconciling at once, then every `intervalMs`, until `signal` aborts or stop() is called. */
export function startReconcileLoop(deps: ReconcileDeps, options: ReconcileLoopOptions): ReconcileLoop {
  const { intervalMs, logger, signal, onRepaired, catchUpDelayMs = 1_000, ...pages } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<ReconcileReport | undefined> = Promise.resolve(undefined);

  async function runOnce(): Promise<ReconcileReport | undefined> {
    try {
      const report = await reconcilePayments(deps, pages);
      logReport(logger, report);
      if (report.recorded.length + report.refunded.length > 0) onRepaired?.();
      return report;
    } catch (err) {
      logger.error(`Reconciling Stars transactions failed; trying again in ${Math.round(intervalMs / 1000)} s: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  function run(): Promise<ReconcileReport | undefined> {
    clearTimeout(timer);
    // One run at a time: a run asked for during another starts when it ends.
    running = running.then(async () => {
      if (stopped) return undefined;
      const report = await runOnce();
      if (!stopped) {
        clearTimeout(timer);
        timer = setTimeout(() => void run(), report?.more ? catchUpDelayMs : intervalMs);
      }
      return report;
    });
    return running;
  }

  const stop = async (): Promise<void> => {
    stopped = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await running;
  };
  const onAbort = () => void stop();
  if (signal?.aborted) stopped = true;
  else signal?.addEventListener('abort', onAbort, { once: true });
  void run();
  return { runNow: run, stop };
}
