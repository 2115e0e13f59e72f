/**
 * What the JSON API needs from the world: the domain's dependencies for
 * writes, read models for the lists and numbers, the admin password check and
 * the Telegram-HTML check. `db/` implements the reads (structurally: the
 * dashboard never imports it); the composition root wires them in.
 */
import type { Readable } from 'node:stream';
import type { HtmlCheck, Payment, PaywallDeps, Plan, RuntimeMode, Subscription, User } from '../../paywall/index.js';

/** A user with everything the API shows about them, newest first. */
export interface ApiUserRecord {
  user: User;
  subscriptions: readonly Subscription[];
  payments: readonly Payment[];
}

/** Rows to skip and to take. */
export interface ApiRange {
  offset: number;
  limit: number;
}

/** One page of items and how many match in all. */
export interface ApiPage<T> {
  items: readonly T[];
  total: number;
}

/** The user list's status filter. */
export type ApiUserStatus = 'active' | 'expired' | 'never_paid' | 'blocked';

/** The overview numbers: revenue in Stars net of refunds, days in UTC. */
export interface ApiStats {
  users: number;
  activeSubscribers: number;
  revenueStars: number;
  revenueToday: number;
  revenue30d: number;
  /** Payments not refunded. */
  payments: number;
  refunds: number;
}

/** The bot runtime's status. */
export interface ApiBotStatus {
  running: boolean;
  healthy: boolean;
  pid: number | null;
  host: string | null;
  mode: RuntimeMode | null;
  startedAt: Date | null;
  lastPollAt: Date | null;
  conflicts: number;
}

/** One line of the payments export. */
export interface ApiPaymentExportRow {
  payment: Payment;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** The read side. */
export interface ApiReads {
  stats(now: Date): Promise<ApiStats>;
  users: {
    list(query: ApiRange & { q?: string; status?: ApiUserStatus; now: Date }): Promise<ApiPage<ApiUserRecord>>;
    get(id: number): Promise<ApiUserRecord | undefined>;
  };
  plans(range: ApiRange): Promise<ApiPage<Plan>>;
  payments(query: ApiRange & { userId?: number; status?: Payment['status'] }): Promise<ApiPage<Payment>>;
  /** Every payment with its user's names, as an object stream of ApiPaymentExportRow. */
  paymentExport(): Readable;
  botStatus(now: Date): Promise<ApiBotStatus>;
}

/** What the API works on while the database is reachable. */
export interface ApiBackend {
  readonly paywall: PaywallDeps;
  readonly reads: ApiReads;
}

/** Dependencies of the JSON API. */
export interface ApiDeps {
  /** The backend, or undefined while the database is unreachable (the API answers 503 then). */
  backend(): ApiBackend | undefined;
  /** True when `candidate` is the admin password; constant-time. */
  checkPassword(candidate: string): Promise<boolean>;
  /** Checks broadcast text as Telegram HTML. */
  checkHtml: HtmlCheck;
}
