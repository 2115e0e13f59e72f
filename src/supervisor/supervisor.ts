/**
 * `paywall all`'s supervisor (SPEC 4): starts the children in order, each
 * after the one it waits for is ready, restarts crashed ones, and shuts all
 * down gracefully when the signal is aborted.
 */
import type { Logger } from 'pino';
import { createManagedChild, type ManagedChild, type ManagedChildHooks } from './managed-child.js';
import { createLineFormatter } from './output-prefix.js';
import { resolveRestartPolicy } from './restart-policy.js';
import { shutDownChildren } from './shutdown.js';
import type { RestartPolicy, SupervisorOptions } from './types.js';
import { validateSupervisorOptions } from './validate-options.js';

/**
 * Supervise the children until none is left (resolves 1) or the signal is
 * aborted (resolves 0 after a clean shutdown, 1 if someone had to be killed).
 */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  validateSupervisorOptions(options);
  const policy = resolveRestartPolicy(options.policy);
  const { logger, signal } = options;
  if (signal.aborted) {
    logger.info('shutdown requested before any child started');
    return 0;
  }
  return new Promise<number>((resolve) => {
    let shuttingDown = false;
    const finish = (code: number): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const hooks: ManagedChildHooks = {
      onReady: (name) => {
        if (!shuttingDown) startWaitersOf(children, name, 'is ready', logger);
      },
      onSettled: (name) => {
        if (shuttingDown) return;
        startWaitersOf(children, name, 'will not run again', logger);
        if (children.some((child) => child.state !== 'stopped')) return;
        logger.error('no child is left running; exiting with code 1');
        finish(1);
      },
    };
    const children = createChildren(options, policy, hooks);

    function onAbort(): void {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info('shutting down the children');
      shutDownChildren(children, options.shutdownGraceMs, logger).then(
        (clean) => {
          logger.info(clean ? 'every child stopped in time' : 'shutdown finished after SIGKILL');
          finish(clean ? 0 : 1);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          finish(1);
        },
      );
    }

    signal.addEventListener('abort', onAbort);
    for (const child of children) if (child.spec.waitForReadyOf === undefined) child.start();
  });
}

/** Start the children still waiting for `name`, once each. */
function startWaitersOf(children: readonly ManagedChild[], name: string, why: string, logger: Logger): void {
  for (const child of children) {
    if (child.spec.waitForReadyOf !== name || child.state !== 'waiting') continue;
    logger.info(`${name} ${why}; starting ${child.name}`);
    child.start();
  }
}

/** One managed child per spec, sharing the output formatter. */
function createChildren(options: SupervisorOptions, policy: RestartPolicy, hooks: ManagedChildHooks): ManagedChild[] {
  const format = createLineFormatter(
    options.children.map((spec) => spec.name),
    options.color,
  );
  return options.children.map((spec) =>
    createManagedChild({
      spec,
      nodePath: options.nodePath,
      env: options.env,
      cwd: options.cwd,
      policy,
      logger: options.logger,
      output: options.output,
      format,
      hooks,
    }),
  );
}
