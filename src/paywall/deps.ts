/** What the domain operations need: the store, a clock, and a few settings. */
import type { Store } from './ops-ports.js';
import type { Clock } from './ports.js';

/** The minimal logger the domain writes to (pino's Logger fits). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Dependencies of every domain operation. */
export interface PaywallDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** PAYWALL_CHAT_ID: the chat a grant without a plan covers. */
  readonly defaultChatId: number | undefined;
  /** ADMIN_USER_IDS: who gets notifications. */
  readonly adminUserIds: readonly number[];
}
