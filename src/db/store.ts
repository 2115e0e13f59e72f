/**
 * The Store port: every repository over one database, and `transaction`,
 * which hands the work a second set bound to one knex transaction, so that
 * its writes across tables commit or roll back together.
 */
import type { Knex } from 'knex';
import type { Clock, Repositories, Store } from '../paywall/index.js';
import { createAuditRepo } from './audit-repo.js';
import { createBroadcastRepo } from './broadcast-repo.js';
import { createChatRepo } from './chat-repo.js';
import type { Db } from './create-db.js';
import { createInviteRepo } from './invite-repo.js';
import { createJobRepo } from './job-repo.js';
import { createOrderRepo } from './order-repo.js';
import { createPaymentRepo } from './payment-repo.js';
import { createPlanStore } from './plan-store.js';
import { createProcessedUpdateRepo } from './processed-update-repo.js';
import { createSettingsStore } from './settings-store.js';
import { createSubscriptionRepo } from './subscription-repo.js';
import { createUserRepo } from './user-repo.js';

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** Every repository bound to `knex` (the database, or one transaction). */
export function createRepositories(knex: Knex, kind: Db['kind'], clock: Clock = SYSTEM_CLOCK): Repositories {
  return {
    users: createUserRepo(knex),
    orders: createOrderRepo(knex),
    payments: createPaymentRepo(knex),
    subscriptions: createSubscriptionRepo(knex),
    plans: createPlanStore(knex, clock),
    settings: createSettingsStore(knex, clock),
    jobs: createJobRepo(knex, kind),
    updates: createProcessedUpdateRepo(knex),
    chats: createChatRepo(knex),
    invites: createInviteRepo(knex),
    broadcasts: createBroadcastRepo(knex),
    audit: createAuditRepo(knex),
  };
}

/**
 * Builds the Store over `db`. `clock` stamps the writes whose port takes no
 * time (plans, settings). Inside `transaction`, use only the `tx` repositories:
 * on SQLite the transaction holds the one connection, so a query through the
 * Store's own repositories would wait for it.
 */
export function createStore(db: Db, clock: Clock = SYSTEM_CLOCK): Store {
  return {
    ...createRepositories(db.knex, db.kind, clock),
    transaction: (work) =>
      db.knex.transaction(async (trx) => {
        if (db.kind === 'sqlite') await takeSqliteWriteLock(trx);
        return work(createRepositories(trx, db.kind, clock));
      }),
  };
}

/**
 * Makes a SQLite transaction behave like BEGIN IMMEDIATE (knex only issues BEGIN).
 * A deferred transaction that reads and then writes fails at once with SQLITE_BUSY
 * when another process (the bot beside the dashboard) wrote in between, and
 * busy_timeout cannot help; a write as its first statement waits for the lock instead.
 */
async function takeSqliteWriteLock(trx: Knex.Transaction): Promise<void> {
  await trx.raw('update settings set value = value where 1 = 0');
}
