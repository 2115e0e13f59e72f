/**
 * The supervisor's public surface: `runSupervisor` and its types.
 */
export { runSupervisor } from './supervisor.js';
export { DEFAULT_RESTART_POLICY } from './restart-policy.js';
export type { ChildExit, ChildSpec, LineSink, ReadyMessage, RestartPolicy, SupervisorOptions } from './types.js';
