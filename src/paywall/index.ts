/** The domain core's public surface: errors, rules and ports. */
export * from './errors.js';
export * from './ports.js';
export * from './plans.js';
