/**
 * The read side of the JSON API: queries shaped for the dashboard, each paged
 * or aggregated in SQL. Writes go through the domain and the store instead.
 */
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Payment, Plan } from '../../paywall/index.js';
import { readBotStatus, type BotStatus } from './bot-status.js';
import { listPayments, streamPaymentExport, type PaymentListQuery } from './payments.js';
import { listPlans } from './plans.js';
import { readStats, type Stats } from './stats.js';
import { createUserReads, type UserReads } from './users.js';

export type { BotStatus } from './bot-status.js';
export { botStatusOf } from './bot-status.js';
export type { PaymentExportRow, PaymentListQuery } from './payments.js';
export type { Stats } from './stats.js';
export type { UserListQuery, UserRecord, UserStatusFilter } from './users.js';

/** Every read model, bound to one knex instance. */
export interface ReadModels {
  stats(now: Date): Promise<Stats>;
  users: UserReads;
  plans(page: { offset: number; limit: number }): Promise<{ items: Plan[]; total: number }>;
  payments(query: PaymentListQuery): Promise<{ items: Payment[]; total: number }>;
  /** Every payment joined with its user, oldest first, as an object stream of PaymentExportRow. */
  paymentExport(): Readable;
  /** The bot runtime's status; `botId` picks the bot, else the most recent heartbeat. */
  botStatus(now: Date): Promise<BotStatus>;
}

/** Builds the read models; `botId` is the configured bot's id when known. */
export function createReadModels(knex: Knex, options: { botId?: number } = {}): ReadModels {
  return {
    stats: (now) => readStats(knex, now),
    users: createUserReads(knex),
    plans: (page) => listPlans(knex, page),
    payments: (query) => listPayments(knex, query),
    paymentExport: () => streamPaymentExport(knex),
    botStatus: (now) => readBotStatus(knex, now, options.botId),
  };
}
