/**
 * Ports of the operations side: the durable job table (also the outbox),
 * processed updates, protected chats, invite links, broadcasts, the audit log,
 * and the unit of work that ties writes into one transaction.
 */
import type { PlanStore, SettingsStore } from './ports.js';
import type { OrderRepo, PaymentRepo, SubscriptionRepo, UserRepo } from './sales-ports.js';

/** Kinds of jobs the runtime carries out. */
export type JobType =
  | 'message' // send a text to a user (confirmations, notices, reminders)
  | 'invite' // create invite links for a user's chats and send them
  | 'remove' // ban + unban a user from a subscription's chats
  | 'refund' // refundStarPayment, then take the time back
  | 'cancel_subscription' // editUserStarSubscription is_canceled
  | 'broadcast' // send a broadcast to its recipients
  | 'admin_notice'; // a notification to every admin

/** A durable job. */
export interface Job {
  readonly id: number;
  readonly type: JobType;
  readonly payload: Record<string, unknown>;
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: Date;
  readonly lastError: string | null;
  readonly result: Record<string, unknown> | null;
  readonly dedupeKey: string | null;
  readonly createdAt: Date;
}

/** What enqueue takes. */
export interface NewJob {
  type: JobType;
  payload: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** A second job with the same key is not created (enqueue returns the first). */
  dedupeKey?: string;
}

/** The job table. */
export interface JobRepo {
  enqueue(job: NewJob, at: Date): Promise<Job>;
  get(id: number): Promise<Job | undefined>;
  byDedupeKey(key: string): Promise<Job | undefined>;
  /** Claims up to `limit` due queued jobs for `worker` (status running, attempts + 1). */
  claim(worker: string, now: Date, limit: number): Promise<Job[]>;
  complete(id: number, result: Record<string, unknown>, at: Date): Promise<void>;
  /** Records a running job's progress in `result`: kept when a crash leaves it running (recoverStale), cleared by fail. */
  checkpoint(id: number, progress: Record<string, unknown>, at: Date): Promise<void>;
  /** A failed attempt: back to queued at `retryAt`, or failed for good when retryAt is null. */
  fail(id: number, error: string, retryAt: Date | null, at: Date): Promise<void>;
  /** Jobs left running (locked before `olderThan`) go back to the queue at `at`; one that used its last attempt fails. Returns how many. */
  recoverStale(olderThan: Date, at: Date): Promise<number>;
  /** Counts by status, for the dashboard. */
  counts(): Promise<Record<Job['status'], number>>;
}

/** Update ids already handled: a redelivered update is a no-op. */
export interface ProcessedUpdateRepo {
  /** Records the id; false when it was recorded before. */
  markProcessed(updateId: number, at: Date): Promise<boolean>;
  wasProcessed(updateId: number): Promise<boolean>;
  /** Of `updateIds`, those recorded as handled. */
  processedAmong(updateIds: readonly number[]): Promise<Set<number>>;
  /** Records many ids at once (a batch handled to the end); ids recorded before are left alone. */
  markManyProcessed(updateIds: readonly number[], at: Date): Promise<void>;
  /** Forgets updates handled before `before` (Telegram redelivers none older than a day); returns how many. */
  prune(before: Date): Promise<number>;
  /**
   * The inbox: keeps polled updates (as Telegram sent them, JSON) before their offset is
   * confirmed, until `release`; updates kept before are left alone.
   */
  keep(updates: readonly KeptUpdate[], at: Date): Promise<void>;
  /** Kept updates not released yet, oldest first, at most `limit`. */
  kept(limit: number): Promise<KeptUpdate[]>;
  /** Drops kept updates (handled, or skipped as handled before). */
  release(updateIds: readonly number[]): Promise<void>;
}

/** A polled update in the inbox. */
export interface KeptUpdate {
  readonly updateId: number;
  readonly json: string;
}

/** The bot's own standing in a protected chat. */
export interface ProtectedChat {
  readonly chatId: number;
  readonly title: string | null;
  readonly botStatus: string | null;
  readonly canInviteUsers: boolean;
  readonly canRestrictMembers: boolean;
  readonly checkedAt: Date | null;
}

/** Protected chats and membership as the bot saw it. */
export interface ChatRepo {
  upsert(chat: ProtectedChat): Promise<void>;
  get(chatId: number): Promise<ProtectedChat | undefined>;
  list(): Promise<ProtectedChat[]>;
  setMember(chatId: number, userId: number, status: string, at: Date): Promise<void>;
  memberStatus(chatId: number, userId: number): Promise<string | undefined>;
}

/** An invite link made for one user and one chat. */
export interface InviteLink {
  readonly id: number;
  readonly inviteLink: string;
  readonly userId: number;
  readonly chatId: number;
  readonly subscriptionId: number | null;
  readonly status: 'active' | 'used' | 'revoked';
}

/** Invite links. */
export interface InviteRepo {
  create(link: Omit<InviteLink, 'id' | 'status'>, at: Date): Promise<InviteLink>;
  byLink(inviteLink: string): Promise<InviteLink | undefined>;
  activeFor(userId: number, chatId: number): Promise<InviteLink[]>;
  setStatus(id: number, status: InviteLink['status'], at: Date): Promise<void>;
}

/** A broadcast. */
export interface Broadcast {
  readonly id: number;
  readonly text: string;
  readonly audience: 'active' | 'expired' | 'all';
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** Broadcasts and their recipients. */
export interface BroadcastRepo {
  /** Creates the broadcast with its audience resolved now (blocked users left out). */
  create(text: string, audience: Broadcast['audience'], createdBy: string, at: Date): Promise<Broadcast>;
  get(id: number): Promise<Broadcast | undefined>;
  /** Recipients still pending, in order. */
  pendingRecipients(id: number, limit: number): Promise<number[]>;
  /** Recipients left 'sending' by a crash: counted failed, never sent again. */
  failInFlight(id: number, at: Date): Promise<number>;
  /** Marks one recipient as being sent to (before the call). */
  markSending(id: number, userId: number, at: Date): Promise<void>;
  markResult(id: number, userId: number, ok: boolean, error: string | null, at: Date): Promise<void>;
  setStatus(id: number, status: Broadcast['status'], at: Date): Promise<void>;
}

/** The audit log. */
export interface AuditRepo {
  record(entry: { actor: string; action: string; target: string | null; details?: Record<string, unknown> }, at: Date): Promise<void>;
}

/** Every repository, bound to one connection or one transaction. */
export interface Repositories {
  readonly users: UserRepo;
  readonly orders: OrderRepo;
  readonly payments: PaymentRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly plans: PlanStore;
  readonly settings: SettingsStore;
  readonly jobs: JobRepo;
  readonly updates: ProcessedUpdateRepo;
  readonly chats: ChatRepo;
  readonly invites: InviteRepo;
  readonly broadcasts: BroadcastRepo;
  readonly audit: AuditRepo;
}

/** The store: the repositories, and a way to run several writes as one transaction. */
export interface Store extends Repositories {
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}
