/**
 * The pages' read models over a fresh test database, typed as the dashboard's
 * PageReads port (so the build fails if db/ stops fitting it), with the Store
 * over the same database to write what they read.
 */
import type { TestContext } from 'node:test';
import type { Db } from '../../../src/db/index.js';
import { createPageReads } from '../../../src/db/read-models/pages.js';
import type { PageReads } from '../../../src/dashboard/pages/ports.js';
import type { Payment, Repositories, Store } from '../../../src/paywall/index.js';
import type { TestDatabase } from '../../helpers/databases.js';
import { openTestStore, T0 } from '../../helpers/store-fixture.js';

/** A database, its Store, and the page reads over it. */
export interface ReadsFixture {
  db: Db;
  store: Store;
  reads: PageReads;
}

/** Opens a fresh database (dropped when the test ends) with the page reads over it. */
export async function openReads(t: TestContext, testDb: TestDatabase): Promise<ReadsFixture> {
  const { db, store } = await openTestStore(t, testDb);
  const reads: PageReads = createPageReads(db.knex);
  return { db, store, reads };
}

/** Records a paid payment of `amount` Stars at `createdAt`. */
export async function seedPayment(repos: Repositories, chargeId: string, userId: number, amount: number, createdAt: Date): Promise<void> {
  const payment: Omit<Payment, 'status' | 'refundedAt'> = {
    chargeId, providerChargeId: null, userId, planId: null, orderId: null, subscriptionId: null, durationSeconds: null,
    amount, currency: 'XTR', isRecurring: false, subscriptionExpiresAt: null, source: 'update', createdAt,
  };
  if (!(await repos.payments.insert(payment))) throw new Error(`payment ${chargeId} already recorded`);
}

export { T0 };
