/**
 * The reconciliation loop over the real gateway, the fake Telegram server and
 * a real store (SQLite and PostgreSQL): it runs at start and every interval,
 * logs what it repaired, survives failures, catches up a long ledger quickly
 * and stops on its signal.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import { Bot } from 'grammy';
import { createGateway } from '../../src/bot/gateway.js';
import { startReconcileLoop, type ReconcileLoopOptions } from '../../src/bot/reconcile-loop.js';
import { installSendLimits } from '../../src/bot/send-limits.js';
import { createOrder, type ReconcileDeps } from '../../src/paywall/index.js';
import { createFakeTelegram, type FakeTelegram } from '../fake-telegram/index.js';
import { capturingLogger, silentLogger, testDatabases, type TestDatabase } from '../helpers/databases.js';
import { waitUntil } from '../helpers/processes.js';
import { T0, openTestStore, seedPlan, seedUser } from '../helpers/store-fixture.js';
import { makeToken } from '../helpers/tokens.js';

interface LoopFixture {
  fake: FakeTelegram;
  token: string;
  deps: ReconcileDeps;
  lines: string[];
  /** A charge for a new order whose successful_payment nobody consumes: a lost update. */
  lostPayment(userId: number): Promise<string>;
  /** Starts the loop, stopped when the test ends. */
  start(options: Partial<ReconcileLoopOptions>): ReturnType<typeof startReconcileLoop>;
}

async function createLoopFixture(t: TestContext, database: TestDatabase): Promise<LoopFixture> {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token, botId } = makeToken();
  fake.addBot({ token });
  const api = new Bot(token, { client: { apiRoot: fake.apiRoot } }).api;
  const limits = installSendLimits(api);
  t.after(() => limits.stop());
  const { store } = await openTestStore(t, database);
  const plan = await seedPlan(store);
  const paywall = { store, clock: { now: () => T0 }, defaultChatId: undefined, adminUserIds: [] };
  const deps: ReconcileDeps = { ...paywall, gateway: createGateway(api, limits, botId), log: silentLogger() };
  const { logger, lines } = capturingLogger('debug');
  return {
    fake, token, deps, lines,
    async lostPayment(userId) {
      await seedUser(store, userId);
      const { order } = await createOrder(paywall, userId, plan.id);
      return fake.deliverSuccessfulPayment(token, { user: { id: userId, first_name: 'Buyer' }, payload: order.payload, amount: order.amount }).chargeId;
    },
    start(options) {
      const loop = startReconcileLoop(deps, { intervalMs: 60_000, logger, ...options });
      t.after(() => loop.stop());
      return loop;
    },
  };
}

function logged(lines: string[]): { level: number; msg: string; recorded?: number }[] {
  return lines.map((line) => JSON.parse(line) as { level: number; msg: string; recorded?: number });
}

const DEBUG = 20;
const INFO = 30;
const ERROR = 50;

function reconcileLines(lines: string[], level: number) {
  return logged(lines).filter((l) => l.level === level && /Reconcil/.test(l.msg));
}

for (const database of await testDatabases()) {
  describe(`reconcile loop (${database.kind})`, () => {
    test('runs at start and every interval: debug when nothing was missed, info and onRepaired when it recorded a lost payment', async (t) => {
      const fx = await createLoopFixture(t, database);
      let repaired = 0;
      fx.start({ intervalMs: 150, onRepaired: () => { repaired += 1; } });
      await waitUntil(() => reconcileLines(fx.lines, DEBUG).length >= 1, 5_000, 'the run at start');
      assert.equal(repaired, 0);
      const chargeId = await fx.lostPayment(41);
      await waitUntil(async () => (await fx.deps.store.payments.get(chargeId)) !== undefined, 5_000, 'a later run records the lost payment');
      await waitUntil(() => reconcileLines(fx.lines, INFO).length === 1, 5_000, 'the repair is logged at info');
      assert.equal(reconcileLines(fx.lines, INFO)[0]!.recorded, 1);
      assert.equal(repaired, 1);
      const runs = fx.fake.calls({ method: 'getStarTransactions' }).length;
      await waitUntil(() => fx.fake.calls({ method: 'getStarTransactions' }).length >= runs + 2, 5_000, 'it keeps running every interval');
      assert.equal(reconcileLines(fx.lines, INFO).length, 1, 'nothing new: no second info line');
    });

    test('a failing run is logged and retried at the next interval, never thrown', async (t) => {
      const fx = await createLoopFixture(t, database);
      const chargeId = await fx.lostPayment(42);
      fx.fake.failNext({ method: 'getStarTransactions', errorCode: 400, description: 'Bad Request: something broke' });
      fx.start({ intervalMs: 150 });
      await waitUntil(() => reconcileLines(fx.lines, ERROR).length === 1, 5_000, 'the failure is logged');
      assert.match(reconcileLines(fx.lines, ERROR)[0]!.msg, /something broke/);
      assert.ok(!fx.lines.join('\n').includes(fx.token.split(':')[1]!), 'the token is not logged');
      await waitUntil(async () => (await fx.deps.store.payments.get(chargeId)) !== undefined, 5_000, 'the next run records the payment');
    });

    test('a run cut short by its page bound is followed by another soon, not an interval later', async (t) => {
      const fx = await createLoopFixture(t, database);
      const charges = [await fx.lostPayment(43), await fx.lostPayment(44), await fx.lostPayment(45)];
      fx.start({ intervalMs: 60_000, pageSize: 1, maxPages: 1, catchUpDelayMs: 10 });
      await waitUntil(async () => {
        for (const chargeId of charges) if (!(await fx.deps.store.payments.get(chargeId))) return false;
        return true;
      }, 5_000, 'all three, one page per run');
    });

    test('stops on its signal: no run after it, and a run asked for then does nothing', async (t) => {
      const fx = await createLoopFixture(t, database);
      const stopping = new AbortController();
      const loop = fx.start({ intervalMs: 50, signal: stopping.signal });
      await waitUntil(() => fx.fake.calls({ method: 'getStarTransactions' }).length >= 2, 5_000, 'a few runs');
      stopping.abort();
      await loop.stop();
      const calls = fx.fake.calls({ method: 'getStarTransactions' }).length;
      assert.equal(await loop.runNow(), undefined);
      await sleep(200);
      assert.equal(fx.fake.calls({ method: 'getStarTransactions' }).length, calls);
    });

    test('runNow reports what a run repaired', async (t) => {
      const fx = await createLoopFixture(t, database);
      const loop = fx.start({ intervalMs: 60_000 });
      assert.deepEqual((await loop.runNow())?.recorded, [], 'runs after the run at start, with nothing to do');
      const chargeId = await fx.lostPayment(46);
      const report = await loop.runNow();
      assert.deepEqual(report?.recorded, [chargeId]);
    });
  });
}
