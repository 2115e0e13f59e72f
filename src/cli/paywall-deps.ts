/** The domain's dependencies, built from the configuration and a store. */
import type { Config } from '../config/config.js';
import type { PaywallDeps, Store } from '../paywall/index.js';

/** The system clock and the settings the domain reads. */
export function createPaywallDeps(config: Config, store: Store): PaywallDeps {
  return {
    store,
    clock: { now: () => new Date() },
    defaultChatId: config.defaultChatId,
    adminUserIds: config.adminUserIds,
  };
}
