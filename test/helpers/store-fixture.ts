/** A migrated test database with the Store over it, and small seeding helpers for repository tests. */
import type { TestContext } from 'node:test';
import { createStore, type Db } from '../../src/db/index.js';
import type { Plan, PlanFields, Repositories, Store, User } from '../../src/paywall/index.js';
import { openTestDb, type TestDatabase } from './databases.js';

/** An instant every repository test counts from. */
export const T0 = new Date('2026-03-01T00:00:00.000Z');

/** Milliseconds in a second and a day. */
export const SECOND = 1_000;
export const DAY = 86_400_000;

/** T0 plus `ms`. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

/** A fresh database and its Store, dropped when the test ends. */
export async function openTestStore(t: TestContext, testDb: TestDatabase): Promise<{ db: Db; store: Store }> {
  const { db } = await openTestDb(t, testDb);
  return { db, store: createStore(db, { now: () => T0 }) };
}

/** A user who wrote to the bot at `when`. */
export function seedUser(repos: Repositories, id: number, when: Date = T0): Promise<User> {
  return repos.users.touch({ id, firstName: `User ${id}`, languageCode: 'en' }, when);
}

/** A plan: 30 days for 250 Stars on one chat unless `fields` says otherwise. */
export function seedPlan(repos: Repositories, fields: Partial<PlanFields> = {}): Promise<Plan> {
  return repos.plans.create({
    title: 'Monthly',
    description: '',
    price: 250,
    duration: '30d',
    durationSeconds: 30 * 86_400,
    chatIds: [-1001],
    recurring: false,
    active: true,
    ...fields,
  });
}
