/**
 * The interfaces through which the domain reaches the world. `src/db/`
 * implements the stores; the bot and the dashboard implement the rest.
 * Times are `Date` objects (instants); money is integer Stars.
 */

/** Where "now" comes from, so that tests can move time. */
export interface Clock {
  now(): Date;
}

/** A plan as SPEC section 6 shows it: `duration` as written (`30d`, `lifetime`). */
export interface Plan {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly price: number;
  readonly duration: string;
  readonly chatIds: readonly number[];
  readonly active: boolean;
  readonly recurring: boolean;
}

/** The validated fields of a plan, as the plan rules produce them. */
export interface PlanFields {
  readonly title: string;
  readonly description: string;
  readonly price: number;
  readonly duration: string;
  /** Seconds the plan buys; null for `lifetime`. */
  readonly durationSeconds: number | null;
  readonly chatIds: readonly number[];
  readonly recurring: boolean;
  readonly active: boolean;
}

/** Plans, with their chats in the order given. */
export interface PlanStore {
  create(fields: PlanFields): Promise<Plan>;
  get(id: number): Promise<Plan | undefined>;
  /** All plans by id, or only the active ones. */
  list(options?: { activeOnly?: boolean }): Promise<Plan[]>;
  /** Changes the given fields; `chatIds` replaces the list. Undefined when the id is unknown. */
  update(id: number, changes: Partial<PlanFields>): Promise<Plan | undefined>;
  setActive(id: number, active: boolean): Promise<Plan | undefined>;
}

/** Key/value settings: the bot id, bot texts, the hashed admin password, … */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key already has one; returns the stored value either way. */
  setIfAbsent(key: string, value: string): Promise<string>;
  delete(key: string): Promise<void>;
  /** Every setting whose key starts with `prefix` (all of them without one). */
  list(prefix?: string): Promise<Map<string, string>>;
}

/** How a bot runtime receives updates. */
export type RuntimeMode = 'polling' | 'webhook';

/** The bot runtime's heartbeat, written every few seconds. */
export interface Heartbeat {
  readonly botId: number;
  readonly pid: number;
  readonly host: string;
  readonly mode: RuntimeMode;
  readonly startedAt: Date;
  /** Last successful poll, or last webhook delivery. */
  readonly lastPollAt: Date | null;
  readonly lastWebhookErrorAt: Date | null;
  /** Conflict (409) episodes since start. */
  readonly conflicts: number;
  readonly updatedAt: Date;
}

/** What a runtime writes: `updatedAt` defaults to now, `lastWebhookErrorAt` to null. */
export type HeartbeatInput = Omit<Heartbeat, 'updatedAt' | 'lastWebhookErrorAt'> & { updatedAt?: Date; lastWebhookErrorAt?: Date | null };

/** The heartbeat row of each bot (a database belongs to one bot, so usually one row). */
export interface HeartbeatStore {
  /** Inserts or replaces the bot's heartbeat. */
  write(heartbeat: HeartbeatInput): Promise<void>;
  /** The heartbeat of `botId`, or the most recent one without it. */
  read(botId?: number): Promise<Heartbeat | undefined>;
}
