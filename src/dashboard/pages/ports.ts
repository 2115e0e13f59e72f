/**
 * What the server-rendered pages read beyond the JSON API's read models:
 * the overview's series and counts, upcoming removals, the audit log,
 * broadcast history, a user's jobs, and the jobs' state. `db/` implements
 * these (structurally: the dashboard never imports it); the composition root
 * wires them in.
 */
import type { Broadcast, Job, ProtectedChat } from '../../paywall/index.js';
import type { ApiPage, ApiRange } from '../api/ports.js';

/** Revenue of one UTC day, net of refunds. */
export interface RevenueDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  stars: number;
  payments: number;
}

/** The overview's numbers beyond ApiStats. */
export interface OverviewExtras {
  /** The last `days` UTC days, oldest first, today last; days without revenue included with 0. */
  revenueByDay: RevenueDay[];
  /** Users whose first subscription started in the last 30 days. */
  newSubscribers30d: number;
  /** Users whose last subscription ended (expired or revoked) in the last 30 days and who have no live one now. */
  churned30d: number;
}

/** One member the next sweeps will remove. */
export interface UpcomingRemoval {
  userId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  subscriptionId: number;
  planId: number | null;
  planTitle: string | null;
  chatId: number;
  chatTitle: string | null;
  expiresAt: Date;
  /** expiresAt + PAYWALL_GRACE: the first sweep after this removes the member. */
  removeAt: Date;
}

/** One entry of the audit log. */
export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

/** The read side of the pages. */
export interface PageReads {
  overview(now: Date, days: number): Promise<OverviewExtras>;
  /** Members of protected chats whose subscription ends (or ended) before `until`, not yet removed, soonest removal first. */
  upcomingRemovals(query: ApiRange & { now: Date; until: Date; graceMs: number }): Promise<ApiPage<UpcomingRemoval>>;
  /** Newest first; `action` filters (grant, revoke, refund, broadcast, plan, settings, login, …). */
  audit(query: ApiRange & { action?: string }): Promise<ApiPage<AuditEntry>>;
  /** Newest first. */
  broadcasts(range: ApiRange): Promise<ApiPage<Broadcast>>;
  /** The user's jobs (invites, removals, refunds, messages), newest first. */
  userJobs(userId: number, limit: number): Promise<Job[]>;
  /** Jobs by status, and the oldest queued job's run time (null when none is queued). */
  jobSummary(): Promise<{ counts: Record<Job['status'], number>; oldestQueuedAt: Date | null; recentFailures: Job[] }>;
  /** The protected chats with the bot's rights as last checked. */
  chats(): Promise<ProtectedChat[]>;
}
