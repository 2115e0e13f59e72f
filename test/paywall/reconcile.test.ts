/**
 * Reconciliation against the fake's Stars ledger, on a real store (SQLite and
 * PostgreSQL): a payment whose update was lost is recorded and granted once, a
 * refund made while the bot was down takes its time back once, the ledger is
 * read page by page from a saved position, and racing the update path on the
 * same charge still gives one payment and one grant.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  RECONCILE_CURSOR_KEY, applyRefund, grantAccess, recordPayment, reconcilePayments, revokeAccess, type Job, type PaymentOutcome, type PaywallDeps, type ReconcileDeps, type Store,
} from '../../src/paywall/index.js';
import { callBotApi, type FakeUser } from '../fake-telegram/index.js';
import { testDatabases } from '../helpers/databases.js';
import { waitUntil } from '../helpers/processes.js';
import { DAY, T0, seedPlan } from '../helpers/store-fixture.js';
import { CHAT_ID, createReconcileFixture, user } from './reconcile-fixture.js';

const ANN = user(5001);
const BOB = user(5002);

async function allJobs(store: Store): Promise<Job[]> {
  return store.jobs.claim('test', new Date(T0.getTime() + 365 * DAY), 10_000);
}

async function expiryOf(store: Store, userId: number): Promise<number | undefined> {
  return (await store.subscriptions.forUser(userId))[0]?.expiresAt?.getTime();
}

/** What the payments feature does with a successful_payment update. */
function updatePath(deps: PaywallDeps, held: { buyer: FakeUser; chargeId: string; payload: string }, updateId: number) {
  return recordPayment(deps, { updateId, userId: held.buyer.id, chargeId: held.chargeId, payload: held.payload, amount: 250, currency: 'XTR', source: 'update' });
}

/** Holds each caller until another one arrives (then both go on) or `ms` pass. */
function rendezvous(ms: number): () => Promise<void> {
  let waiting: { release(): void } | undefined;
  return () => new Promise<void>((resolve) => {
    if (waiting) {
      waiting.release();
      waiting = undefined;
      resolve();
      return;
    }
    const me = { release: () => { clearTimeout(timer); resolve(); } };
    const timer = setTimeout(() => {
      if (waiting === me) waiting = undefined;
      resolve();
    }, ms);
    waiting = me;
  });
}

/**
 * The deps with a store whose transactions read a subscription only when a second transaction is about to
 * read one too (`meet`, shared by the racers; it gives up after 300 ms): the worst interleaving every time,
 * not by luck. With the user's row lock, a second transaction of the same user never gets there while the
 * first waits, so the wait just runs out. `writeDelayMs` holds this side's subscription writes back, to
 * choose which racer writes last.
 */
function readingTogether(deps: ReconcileDeps, meet = rendezvous(300), writeDelayMs = 0): ReconcileDeps {
  const store = deps.store;
  return {
    ...deps,
    store: { ...store, transaction: (work) => store.transaction((tx) => work({
      ...tx,
      subscriptions: {
        ...tx.subscriptions,
        forUserAndPlan: async (userId, planId) => {
          await meet();
          return tx.subscriptions.forUserAndPlan(userId, planId);
        },
        get: async (id) => {
          await meet();
          return tx.subscriptions.get(id);
        },
        forUser: async (userId) => {
          await meet();
          return tx.subscriptions.forUser(userId);
        },
        update: async (id, changes, at) => {
          await delay(writeDelayMs);
          return tx.subscriptions.update(id, changes, at);
        },
      },
    })) },
  };
}

function offsetsRead(fx: { fake: { calls(f: { method: string }): { params: Record<string, unknown> }[] } }): number[] {
  return fx.fake.calls({ method: 'getStarTransactions' }).map((call) => Number(call.params['offset']));
}

for (const database of await testDatabases()) {
  describe(`reconciliation (${database.kind})`, () => {
    test('a payment whose update was lost is recorded and granted once; a second run and the late update change nothing', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const order = await fx.order(ANN.id);
      const chargeId = await fx.payHeld(ANN, order);
      assert.equal(await fx.store.payments.get(chargeId), undefined, 'the update was held back: nothing recorded yet');

      const report = await reconcilePayments(fx.deps);
      assert.deepEqual(report.recorded, [chargeId]);
      assert.deepEqual([report.refunded, report.skipped, report.scanned, report.more], [[], [], 1, false]);
      const payment = await fx.store.payments.get(chargeId);
      assert.equal(payment?.source, 'reconcile');
      assert.equal(payment?.planId, fx.plan.id);
      assert.equal(payment?.amount, 250);
      assert.equal((await fx.store.orders.byPayload(order.payload))?.status, 'paid');
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 30 * DAY);

      const again = await reconcilePayments(fx.deps);
      assert.deepEqual([again.recorded, again.refunded, again.skipped], [[], [], []]);
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 30 * DAY, 'a second run grants nothing');

      const updateId = fx.fake.deliverHeldPayment(fx.token, chargeId);
      await waitUntil(() => fx.store.updates.wasProcessed(updateId), 5_000, 'the bot handles the late successful_payment');
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 30 * DAY, 'the late update grants nothing');
      assert.equal((await fx.store.payments.forUser(ANN.id)).length, 1);

      const jobs = await allJobs(fx.store);
      assert.equal(jobs.filter((j) => j.type === 'invite').length, 1, 'one confirmation with invite links');
      const notices = jobs.filter((j) => j.type === 'admin_notice').map((j) => j.payload['key']);
      assert.deepEqual(notices.sort(), ['admin.reconciled', 'admin.sale'], 'admins hear of the sale and of the repair, once');
    });

    test('a missed subscription payment is recorded as recurring, with its expiry and the charge that renews it', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const recurring = await seedPlan(fx.store, { title: 'Sub', chatIds: [CHAT_ID], recurring: true });
      const chargeId = await fx.subscribeHeld(BOB, await fx.order(BOB.id, recurring));
      assert.deepEqual((await reconcilePayments(fx.deps)).recorded, [chargeId]);
      const payment = await fx.store.payments.get(chargeId);
      assert.equal(payment?.isRecurring, true);
      const [entry] = fx.fake.starTransactions(fx.token);
      assert.equal(payment?.subscriptionExpiresAt?.getTime(), (entry!.date + 2_592_000) * 1000);
      assert.equal((await fx.store.subscriptions.forUser(BOB.id))[0]?.recurringChargeId, chargeId);
    });

    test('a refund made on Telegram while the bot was down takes its time back, once', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const first = await fx.payHeld(ANN, await fx.order(ANN.id));
      const second = await fx.payHeld(ANN, await fx.order(ANN.id));
      assert.deepEqual((await reconcilePayments(fx.deps)).recorded, [first, second]);
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 60 * DAY);

      const refund = await callBotApi(fx.fake.apiRoot, fx.token, 'refundStarPayment', { user_id: ANN.id, telegram_payment_charge_id: second });
      assert.equal(refund.status, 200);
      const report = await reconcilePayments(fx.deps);
      assert.deepEqual([report.recorded, report.refunded], [[], [second]]);
      assert.equal((await fx.store.payments.get(second))?.status, 'refunded');
      const sub = (await fx.store.subscriptions.forUser(ANN.id))[0];
      assert.equal(sub?.status, 'active');
      assert.equal(sub?.expiresAt?.getTime(), T0.getTime() + 30 * DAY, 'the refunded payment’s 30 days are taken back');

      assert.deepEqual((await reconcilePayments(fx.deps)).refunded, [], 'a second run refunds nothing');
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 30 * DAY);
      const refundNotices = (await allJobs(fx.store)).filter((j) => j.payload['key'] === 'admin.refund');
      assert.deepEqual(refundNotices.map((j) => (j.payload['params'] as Record<string, unknown>)['via']), ['telegram']);
    });

    test('250 transactions are read 100 at a time; the saved position makes the next run read only what is new', async (t) => {
      const fx = await createReconcileFixture(t, database);
      const pay = async (i: number) => {
        const order = await fx.order(6000 + (i % 25));
        return fx.fake.deliverSuccessfulPayment(fx.token, { user: user(6000 + (i % 25)), payload: order.payload, amount: order.amount }).chargeId;
      };
      const charges: string[] = [];
      for (let i = 0; i < 250; i += 1) charges.push(await pay(i));

      const bounded = await reconcilePayments(fx.deps, { maxPages: 2 });
      assert.deepEqual([bounded.recorded.length, bounded.more, bounded.offset], [200, true, 200], 'the page bound stops the run');
      assert.deepEqual(offsetsRead(fx), [0, 100]);
      const rest = await reconcilePayments(fx.deps);
      assert.deepEqual([rest.recorded, rest.scanned, rest.more, rest.offset], [charges.slice(200), 70, false, 250]);
      assert.deepEqual(offsetsRead(fx).slice(2), [180], 'it goes on from the saved position, 20 entries back');
      assert.equal(await expiryOf(fx.store, 6000), T0.getTime() + 10 * 30 * DAY, 'each of the ten charges of a user added 30 days');

      const newer = [await pay(250), await pay(251)];
      fx.fake.clearCalls();
      const next = await reconcilePayments(fx.deps);
      assert.deepEqual([next.recorded, next.scanned, next.offset], [newer, 22, 252]);
      assert.deepEqual(offsetsRead(fx), [230]);

      await fx.store.settings.set(RECONCILE_CURSOR_KEY, JSON.stringify({ offset: 252, last: 'in:not-the-last-entry' }));
      fx.fake.clearCalls();
      const moved = await reconcilePayments(fx.deps);
      assert.deepEqual(offsetsRead(fx), [232, 0, 100, 200], 'a list that no longer matches is read again from the start');
      assert.deepEqual([moved.recorded, moved.scanned], [[], 252]);
      assert.ok(fx.logs.some((l) => l.level === 'warn' && /does not match/.test(l.msg)));
      assert.equal((await allJobs(fx.store)).filter((j) => j.type === 'invite').length, 252, 'one grant per charge in all');
    });

    test('a charge whose payload names no order is reported and logged once, not recorded', async (t) => {
      const fx = await createReconcileFixture(t, database);
      const { chargeId } = fx.fake.deliverSuccessfulPayment(fx.token, { user: ANN, payload: 'from-another-database', amount: 40 });
      const report = await reconcilePayments(fx.deps);
      assert.deepEqual(report.skipped.map((s) => s.chargeId), [chargeId]);
      assert.equal(await fx.store.payments.get(chargeId), undefined);
      assert.equal(fx.logs.filter((l) => l.level === 'warn' && l.msg.includes(chargeId)).length, 1);
      assert.deepEqual((await reconcilePayments(fx.deps)).skipped, [], 'the overlap does not report it again');
      assert.equal(fx.logs.filter((l) => l.msg.includes(chargeId)).length, 1);
    });

    test('reconciliation racing the update path on the same charges: one payment and one grant each', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const buyers = [7001, 7002, 7003, 7004].map(user);
      const held: { buyer: FakeUser; chargeId: string; payload: string }[] = [];
      for (const buyer of buyers) {
        const order = await fx.order(buyer.id);
        held.push({ buyer, chargeId: await fx.payHeld(buyer, order), payload: order.payload });
      }
      // Each time reconciliation opens the transaction that records a charge, the update path starts recording the same charge.
      const updates: Promise<PaymentOutcome>[] = [];
      const racing: ReconcileDeps = {
        ...fx.deps,
        store: { ...fx.store, transaction: (work) => fx.store.transaction((tx) => {
          const next = held[updates.length];
          if (next) updates.push(updatePath(fx.deps, next, 10_000 + updates.length));
          return work(tx);
        }) },
      };
      const report = await reconcilePayments(racing);
      const outcomes = await Promise.all(updates);
      assert.equal(outcomes.length, 4, 'every charge was raced');
      const byUpdate = held.filter((_, i) => outcomes[i]!.status === 'recorded').map((h) => h.chargeId);
      assert.deepEqual([...report.recorded, ...byUpdate].sort(), held.map((h) => h.chargeId).sort(), 'each charge recorded by exactly one path');
      for (const { buyer } of held) {
        assert.equal((await fx.store.payments.forUser(buyer.id)).length, 1);
        assert.equal((await fx.store.subscriptions.forUser(buyer.id)).length, 1);
        assert.equal(await expiryOf(fx.store, buyer.id), T0.getTime() + 30 * DAY);
      }
      assert.equal((await allJobs(fx.store)).filter((j) => j.type === 'invite').length, 4);
    });

    // PostgreSQL (READ COMMITTED): without the user's row lock, two charges of one user recorded at once both read
    // the same subscription, and an extension is lost (or a second subscription made). Reconciliation beside the update path does that.
    test('reconciliation racing the update path on other charges of the same user: every charge extends the one subscription', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const held: { buyer: FakeUser; chargeId: string; payload: string }[] = [];
      for (let i = 0; i < 4; i += 1) {
        const order = await fx.order(BOB.id);
        held.push({ buyer: BOB, chargeId: await fx.payHeld(BOB, order), payload: order.payload });
      }
      const racing = readingTogether(fx.deps);
      // The update path has the odd charges, reconciliation finds every charge.
      await Promise.all([reconcilePayments(racing), ...held.filter((_, i) => i % 2 === 1).map((h, i) => updatePath(racing, h, 20_000 + i))]);
      assert.equal((await fx.store.payments.forUser(BOB.id)).length, 4);
      assert.equal((await fx.store.subscriptions.forUser(BOB.id)).length, 1);
      assert.equal(await expiryOf(fx.store, BOB.id), T0.getTime() + 4 * 30 * DAY);
    });

    test('a refund reconciliation applies while the update path records another payment of the same user: neither change is lost', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const refunded = await fx.payHeld(ANN, await fx.order(ANN.id));
      assert.deepEqual((await reconcilePayments(fx.deps)).recorded, [refunded]);
      const order = await fx.order(ANN.id);
      const paid = { buyer: ANN, chargeId: await fx.payHeld(ANN, order), payload: order.payload };
      const racing = readingTogether(fx.deps);
      const [refundApplied, outcome] = await Promise.all([applyRefund(racing, refunded, 'telegram'), updatePath(racing, paid, 30_000)]);
      assert.deepEqual([refundApplied, outcome.status], [true, 'recorded']);
      const [sub, ...others] = await fx.store.subscriptions.forUser(ANN.id);
      assert.deepEqual(others, [], 'one subscription');
      assert.equal(sub?.status, 'active');
      assert.equal(sub?.expiresAt?.getTime(), T0.getTime() + 30 * DAY, 'the new 30 days stay, the refunded 30 days are gone');
    });

    test('an admin grant on the plan while a payment of the same user is recorded: both extend the one subscription', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const order = await fx.order(ANN.id);
      const paid = { buyer: ANN, chargeId: await fx.payHeld(ANN, order), payload: order.payload };
      const racing = readingTogether(fx.deps);
      await Promise.all([grantAccess(racing, { userId: ANN.id, duration: '7d', planId: fx.plan.id, actor: 'admin:test' }), updatePath(racing, paid, 30_001)]);
      assert.equal((await fx.store.subscriptions.forUser(ANN.id)).length, 1);
      assert.equal(await expiryOf(fx.store, ANN.id), T0.getTime() + 37 * DAY);
    });

    test('a revocation while a payment of the same user is recorded: the result is one of the two orders, never a mix', async (t) => {
      const fx = await createReconcileFixture(t, database, { polling: true });
      const first = await fx.order(ANN.id);
      await updatePath(fx.deps, { buyer: ANN, chargeId: await fx.payHeld(ANN, first), payload: first.payload }, 30_002);
      const order = await fx.order(ANN.id);
      const paid = { buyer: ANN, chargeId: await fx.payHeld(ANN, order), payload: order.payload };
      // Both read the live subscription; the payment writes 200 ms after the revocation, on what it read.
      const meet = rendezvous(300);
      await Promise.all([revokeAccess(readingTogether(fx.deps, meet), { userId: ANN.id, actor: 'admin:test' }), updatePath(readingTogether(fx.deps, meet, 200), paid, 30_003)]);
      const [sub] = await fx.store.subscriptions.forUser(ANN.id);
      // Revoked, then paid: a fresh 30 days from now. Paid, then revoked: revoked. Not the revocation lost under 60 days.
      const orders = [{ status: 'active', expiresAt: T0.getTime() + 30 * DAY }, { status: 'revoked', expiresAt: T0.getTime() + 60 * DAY }];
      assert.ok(orders.some((o) => o.status === sub?.status && o.expiresAt === sub?.expiresAt?.getTime()), `got ${sub?.status} until ${sub?.expiresAt?.toISOString()}`);
    });
  });
}
