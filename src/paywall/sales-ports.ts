/**
 * Ports of the sales side: users, orders, payments and subscriptions.
 * Times are Date instants, money integer Stars, Telegram ids numbers.
 */

/** A Telegram user as paywall knows them. */
export interface User {
  readonly id: number;
  readonly username: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly languageCode: string | null;
  readonly blocked: boolean;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date | null;
}

/** What an update tells us about its sender. */
export interface UserProfile {
  readonly id: number;
  readonly username?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly languageCode?: string;
}

/** Users: recorded on every interaction. */
export interface UserRepo {
  /** Creates or refreshes the user from an update (absent profile fields are stored as null); clears the blocked mark (any update does). */
  touch(profile: UserProfile, at: Date): Promise<User>;
  /** touch for many users in one statement (a batch of updates); a user given twice keeps the last profile. */
  touchMany(profiles: readonly UserProfile[], at: Date): Promise<void>;
  /** Creates the user if unseen (a grant to someone who never wrote), without marking them seen. */
  ensure(id: number, at: Date): Promise<User>;
  get(id: number): Promise<User | undefined>;
  setBlocked(id: number, blocked: boolean, at: Date): Promise<void>;
  /**
   * Called first in a transaction that changes a user's payments or
   * subscriptions: holds the user's row until the transaction ends, so that
   * two such transactions for one user run one after the other and the second
   * reads what the first wrote (PostgreSQL `SELECT … FOR UPDATE`; on SQLite a
   * no-op, as every transaction there already holds the database's write lock).
   * A user without a row is not locked: create it first (`ensure`).
   */
  lock(id: number): Promise<void>;
}

/** An invoice waiting to be paid. */
export interface Order {
  readonly id: number;
  readonly payload: string;
  readonly userId: number;
  readonly planId: number;
  readonly amount: number;
  readonly currency: string;
  readonly status: 'pending' | 'paid' | 'cancelled';
  readonly createdAt: Date;
  readonly paidAt: Date | null;
}

/** Orders. */
export interface OrderRepo {
  create(order: Omit<Order, 'id' | 'status' | 'paidAt'>): Promise<Order>;
  byPayload(payload: string): Promise<Order | undefined>;
  /** Marks a pending order paid; false when it was not pending. */
  markPaid(id: number, at: Date): Promise<boolean>;
}

/** A subscription: what gives a user access to chats, until when. */
export interface Subscription {
  readonly id: number;
  readonly userId: number;
  readonly planId: number | null;
  readonly chatIds: readonly number[];
  readonly status: 'active' | 'expired' | 'revoked';
  readonly startsAt: Date;
  /** null: lifetime. */
  readonly expiresAt: Date | null;
  readonly remindedAt: Date | null;
  readonly removedAt: Date | null;
  readonly recurringChargeId: string | null;
}

/** Subscriptions. */
export interface SubscriptionRepo {
  get(id: number): Promise<Subscription | undefined>;
  /** The user's subscriptions, newest first. */
  forUser(userId: number): Promise<Subscription[]>;
  /** The one subscription per user and plan (null plan: grants without a plan), whatever its status. */
  forUserAndPlan(userId: number, planId: number | null): Promise<Subscription | undefined>;
  create(sub: Omit<Subscription, 'id' | 'remindedAt' | 'removedAt'>, at: Date): Promise<Subscription>;
  /** Sets a new term: status, expiry, chats; clears reminder and removal marks whenever status 'active' is given. Throws for an unknown id. */
  update(id: number, changes: Partial<Pick<Subscription, 'status' | 'expiresAt' | 'chatIds' | 'recurringChargeId' | 'startsAt'>>, at: Date): Promise<Subscription>;
  markReminded(id: number, at: Date): Promise<void>;
  markRemoved(id: number, at: Date): Promise<void>;
  /** Active subscriptions whose expiry is at or before `before`. */
  dueToExpire(before: Date, limit: number): Promise<Subscription[]>;
  /** Active, unreminded subscriptions whose reminder time has come, given each one's plan term. */
  dueForReminder(now: Date, limit: number): Promise<Subscription[]>;
  /** Ended (expired/revoked) subscriptions whose members are not removed yet, ended at or before `before`. */
  dueForRemoval(before: Date, limit: number): Promise<Subscription[]>;
  /** The earliest future time any of the above becomes due, for the sweeper's sleep. */
  nextDueAt(now: Date, graceMs: number): Promise<Date | undefined>;
  /** True when the user has an active subscription covering the chat at `at`. */
  coversChat(userId: number, chatId: number, at: Date): Promise<boolean>;
}

/** A Telegram Stars payment. */
export interface Payment {
  readonly chargeId: string;
  readonly providerChargeId: string | null;
  readonly userId: number;
  readonly planId: number | null;
  readonly orderId: number | null;
  readonly subscriptionId: number | null;
  /** The time it bought, taken back by a refund; null for lifetime. */
  readonly durationSeconds: number | null;
  readonly amount: number;
  readonly currency: string;
  readonly isRecurring: boolean;
  readonly subscriptionExpiresAt: Date | null;
  readonly status: 'paid' | 'refunded';
  readonly source: 'update' | 'reconcile' | 'seed';
  readonly createdAt: Date;
  readonly refundedAt: Date | null;
}

/** Payments, unique by charge id. */
export interface PaymentRepo {
  /** Inserts the payment; false when the charge id is already recorded (nothing changes then). */
  insert(payment: Omit<Payment, 'status' | 'refundedAt'>): Promise<boolean>;
  get(chargeId: string): Promise<Payment | undefined>;
  /** The user's payments, newest first. */
  forUser(userId: number): Promise<Payment[]>;
  /** Marks a paid payment refunded; false when it was already refunded. */
  markRefunded(chargeId: string, at: Date): Promise<boolean>;
}
