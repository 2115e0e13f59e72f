/**
 * Upcoming removals on both databases, checked two ways: against the rows a
 * reader expects, and against what the real sweeper and removal job then do
 * when the clock reaches each predicted time (a recording gateway).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createJobRunner, sweep, type JobDeps, type Plan, type Store, type Subscription, type TelegramGateway,
} from '../../../src/paywall/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { seedPlan, T0 } from '../../helpers/store-fixture.js';
import { openReads } from './fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date(T0.getTime() + 10 * DAY);
const GRACE = HOUR;
const UNTIL = new Date(NOW.getTime() + 10 * DAY);
const rel = (ms: number) => new Date(NOW.getTime() + ms);

/** A gateway that records removals and accepts messages; anything else is a test bug. */
function recordingGateway(removed: string[], clock: () => Date): TelegramGateway {
  const unexpected = async (): Promise<never> => {
    throw new Error('unexpected gateway call');
  };
  return {
    sendMessage: async () => undefined,
    removeMember: async (chatId, userId) => void removed.push(`${clock().toISOString()} ${userId} ${chatId}`),
    sendInvoice: unexpected, createSubscriptionLink: unexpected, createInviteLink: unexpected, revokeInviteLink: unexpected,
    approveJoinRequest: unexpected, declineJoinRequest: unexpected, refundStarPayment: unexpected, cancelStarSubscription: unexpected, botRights: unexpected,
    starTransactions: unexpected,
  };
}

interface Scenario {
  main: Plan;
  single: Plan;
  subs: Record<string, Subscription>;
}

async function sub(store: Store, userId: number, plan: Plan | null, fields: Partial<Subscription>, at: Date = T0): Promise<Subscription> {
  await store.users.touch({ id: userId, username: `user${userId}`, firstName: `First ${userId}`, lastName: userId % 2 ? `Last ${userId}` : undefined }, T0);
  return store.subscriptions.create({ userId, planId: plan?.id ?? null, chatIds: plan?.chatIds ?? [-1003], status: 'active', startsAt: T0, expiresAt: null, recurringChargeId: null, ...fields }, at);
}

/** Members in every situation the sweeper distinguishes. */
async function scenario(store: Store): Promise<Scenario> {
  await store.chats.upsert({ chatId: -1001, title: 'Main', botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: true, checkedAt: T0 });
  await store.chats.upsert({ chatId: -1002, title: 'VIP', botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: true, checkedAt: T0 });
  const main = await seedPlan(store, { title: 'Main + VIP', chatIds: [-1001, -1002] });
  const single = await seedPlan(store, { title: 'Main only', chatIds: [-1001] });
  const subs: Record<string, Subscription> = {};
  subs.expired = await sub(store, 1, main, { status: 'expired', expiresAt: rel(-2 * DAY) });
  subs.removed = await sub(store, 2, main, { status: 'expired', expiresAt: rel(-2 * DAY) });
  await store.subscriptions.markRemoved(subs.removed.id, rel(-2 * DAY));
  subs.coveredMain = await sub(store, 3, main, { expiresAt: rel(DAY) });
  subs.coversMain = await sub(store, 3, single, { expiresAt: rel(30 * DAY) });
  subs.first = await sub(store, 4, main, { expiresAt: rel(2 * DAY) });
  subs.withinGrace = await sub(store, 4, single, { expiresAt: rel(2 * DAY + 30 * 60_000) });
  subs.later = await sub(store, 5, main, { expiresAt: rel(20 * DAY) });
  subs.revoked = await sub(store, 6, single, { status: 'revoked', expiresAt: rel(5 * DAY) }, rel(-HOUR));
  subs.grant = await sub(store, 7, null, { expiresAt: rel(3 * DAY) });
  subs.lifetimeCovered = await sub(store, 8, main, { status: 'expired', expiresAt: rel(-10 * 60_000) });
  subs.lifetime = await sub(store, 8, single, { expiresAt: null });
  subs.unswept = await sub(store, 9, single, { expiresAt: rel(-3 * HOUR) });
  return { main, single, subs };
}

for (const testDb of await testDatabases()) {
  describe(`upcoming removals (${testDb.kind})`, () => {
    test('who is removed from which chat and when, soonest first, with names and titles', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      const { main, single, subs } = await scenario(store);
      const page = await reads.upcomingRemovals({ now: NOW, until: UNTIL, graceMs: GRACE, offset: 0, limit: 50 });
      const rows = page.items.map((r) => [r.userId, r.subscriptionId, r.chatId, r.expiresAt.toISOString(), r.removeAt.toISOString()]);
      const row = (s: Subscription, chatId: number, ended: Date, removeAt: Date) => [s.userId, s.id, chatId, ended.toISOString(), removeAt.toISOString()];
      assert.deepEqual(rows, [
        row(subs.expired!, -1001, rel(-2 * DAY), rel(-2 * DAY + GRACE)),
        row(subs.expired!, -1002, rel(-2 * DAY), rel(-2 * DAY + GRACE)),
        row(subs.unswept!, -1001, rel(-3 * HOUR), rel(-2 * HOUR)),
        row(subs.revoked!, -1001, rel(-HOUR), rel(-HOUR)),
        row(subs.lifetimeCovered!, -1002, rel(-10 * 60_000), rel(50 * 60_000)),
        row(subs.coveredMain!, -1002, rel(DAY), rel(DAY + GRACE)),
        row(subs.first!, -1001, rel(2 * DAY), rel(2 * DAY + GRACE)),
        row(subs.first!, -1002, rel(2 * DAY), rel(2 * DAY + GRACE)),
        row(subs.withinGrace!, -1001, rel(2 * DAY + 30 * 60_000), rel(2 * DAY + 90 * 60_000)),
        row(subs.grant!, -1003, rel(3 * DAY), rel(3 * DAY + GRACE)),
      ]);
      assert.equal(page.total, 10);
      assert.deepEqual(page.items[0], {
        userId: 1, username: 'user1', firstName: 'First 1', lastName: 'Last 1', subscriptionId: subs.expired!.id, planId: main.id, planTitle: 'Main + VIP',
        chatId: -1001, chatTitle: 'Main', expiresAt: rel(-2 * DAY), removeAt: rel(-2 * DAY + GRACE),
      });
      assert.deepEqual([page.items[3]?.planTitle, page.items[3]?.planId, page.items[3]?.lastName], ['Main only', single.id, null]);
      assert.deepEqual([page.items[9]?.planTitle, page.items[9]?.planId, page.items[9]?.chatTitle], [null, null, null], 'a grant without a plan, a chat never checked');

      const second = await reads.upcomingRemovals({ now: NOW, until: UNTIL, graceMs: GRACE, offset: 4, limit: 3 });
      assert.deepEqual(second.items.map((r) => [r.subscriptionId, r.chatId]), rows.slice(4, 7).map((r) => [r[1], r[2]]));
      assert.equal(second.total, 10);
      const soon = await reads.upcomingRemovals({ now: NOW, until: rel(DAY), graceMs: GRACE, offset: 0, limit: 50 });
      assert.equal(soon.total, 5, 'only what ended, or ends before `until`');
    });

    test('the sweeper and the removal job remove exactly the predicted members, at the predicted times', async (t) => {
      const { store, reads } = await openReads(t, testDb);
      await scenario(store);
      const predicted = await reads.upcomingRemovals({ now: NOW, until: UNTIL, graceMs: GRACE, offset: 0, limit: 500 });
      const expected = predicted.items
        .map((r) => `${new Date(Math.max(NOW.getTime(), r.removeAt.getTime())).toISOString()} ${r.userId} ${r.chatId}`)
        .sort();

      let now = NOW;
      const removed: string[] = [];
      const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const deps: JobDeps = {
        store, clock: { now: () => now }, defaultChatId: undefined, adminUserIds: [], gateway: recordingGateway(removed, () => now),
        texts: { render: (_lang, key) => key }, log, workerId: 'test',
      };
      const runner = createJobRunner(deps);
      const times = [...new Set(predicted.items.map((r) => Math.max(NOW.getTime(), r.removeAt.getTime()))), UNTIL.getTime() + GRACE].sort((a, b) => a - b);
      for (const time of times) {
        now = new Date(time);
        await sweep(deps, GRACE);
        while ((await runner.runDue()) > 0);
      }
      assert.deepEqual(removed.sort(), expected);
      assert.ok(expected.length >= 10);
      const after = await reads.upcomingRemovals({ now, until: UNTIL, graceMs: GRACE, offset: 0, limit: 50 });
      assert.deepEqual(after, { items: [], total: 0 }, 'nothing left once the sweeps ran');
    });
  });
}
