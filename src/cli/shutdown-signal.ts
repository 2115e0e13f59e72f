/**
 * One AbortSignal for "stop now": SIGINT, SIGTERM, or the supervisor's IPC
 * channel closing (the supervisor died, even by SIGKILL: no orphans).
 */
import type { Logger } from '../log/logger.js';

/** A shutdown signal and the means to stop listening. */
export interface ShutdownSignal {
  signal: AbortSignal;
  dispose(): void;
}

/** Listens for the reasons to shut down. */
export function createShutdownSignal(logger: Logger): ShutdownSignal {
  const controller = new AbortController();
  const stop = (reason: string) => {
    if (controller.signal.aborted) return;
    logger.info(`${reason}: shutting down`);
    controller.abort(new Error(reason));
  };
  const onSigint = () => stop('Received SIGINT');
  const onSigterm = () => stop('Received SIGTERM');
  const onDisconnect = () => stop('The supervisor went away (IPC channel closed)');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  if (process.send) process.on('disconnect', onDisconnect);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('disconnect', onDisconnect);
    },
  };
}

/** Resolves when the signal is aborted. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Tells the parent process (the supervisor), if any, that this child is ready. */
export function reportReady(details: Record<string, unknown>): void {
  if (process.send && process.connected) process.send({ type: 'ready', ...details });
}
