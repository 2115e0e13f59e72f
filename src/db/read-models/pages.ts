/**
 * The read side of the dashboard's pages (the dashboard's PageReads port,
 * implemented structurally): overview series, upcoming removals, audit log,
 * broadcast history, a user's jobs, the queue's state, protected chats.
 */
import type { Knex } from 'knex';
import type { Broadcast, Job, ProtectedChat } from '../../paywall/index.js';
import { createChatRepo } from '../chat-repo.js';
import { listAudit, type AuditEntry, type AuditQuery } from './audit.js';
import { listBroadcasts } from './broadcast-history.js';
import { listUserJobs, readJobSummary, type JobSummary } from './jobs.js';
import { readOverview, type OverviewExtras } from './overview.js';
import { listUpcomingRemovals, type UpcomingRemoval, type UpcomingRemovalQuery } from './removals.js';

export type { AuditEntry, AuditQuery } from './audit.js';
export type { JobSummary } from './jobs.js';
export type { OverviewExtras, RevenueDay } from './overview.js';
export type { UpcomingRemoval, UpcomingRemovalQuery } from './removals.js';

/** A page of items and how many match in all. */
export interface PageOf<T> {
  items: T[];
  total: number;
}

/** Every read the pages make, bound to one knex instance. */
export interface PageReadModels {
  /** Revenue per UTC day for the last `days` days, new and churned subscribers, as of `now`. */
  overview(now: Date, days: number): Promise<OverviewExtras>;
  /** Members the next sweeps will remove, soonest first. */
  upcomingRemovals(query: UpcomingRemovalQuery): Promise<PageOf<UpcomingRemoval>>;
  /** The audit log, newest first. */
  audit(query: AuditQuery): Promise<PageOf<AuditEntry>>;
  /** Broadcasts, newest first. */
  broadcasts(range: { offset: number; limit: number }): Promise<PageOf<Broadcast>>;
  /** The user's jobs, newest first. */
  userJobs(userId: number, limit: number): Promise<Job[]>;
  /** Jobs per status, the oldest queued run time, the latest failures. */
  jobSummary(): Promise<JobSummary>;
  /** The protected chats with the bot's rights as last checked. */
  chats(): Promise<ProtectedChat[]>;
}

/** Builds the pages' read models over `knex`. */
export function createPageReads(knex: Knex): PageReadModels {
  const chats = createChatRepo(knex);
  return {
    overview: (now, days) => readOverview(knex, now, days),
    upcomingRemovals: (query) => listUpcomingRemovals(knex, query),
    audit: (query) => listAudit(knex, query),
    broadcasts: (range) => listBroadcasts(knex, range),
    userJobs: (userId, limit) => listUserJobs(knex, userId, limit),
    jobSummary: () => readJobSummary(knex),
    chats: () => chats.list(),
  };
}
