/**
 * Set-up of the reconciliation tests: the fake Telegram server with a bot, a
 * real store (SQLite or PostgreSQL), the real bot and gateway over grammY
 * (optionally polling, so that it answers pre-checkout queries and records
 * delivered payments: the update path), and helpers to sell a plan.
 */
import type { TestContext } from 'node:test';
import { createBot, type PaywallBot } from '../../src/bot/create-bot.js';
import { startPolling } from '../../src/bot/polling.js';
import {
  createOrder, loadTextRenderer, type Log, type Order, type Plan, type ReconcileDeps, type Store,
} from '../../src/paywall/index.js';
import { createFakeTelegram, type FakeTelegram, type FakeUser } from '../fake-telegram/index.js';
import { silentLogger, type TestDatabase } from '../helpers/databases.js';
import { T0, openTestStore, seedPlan, seedUser } from '../helpers/store-fixture.js';
import { makeToken } from '../helpers/tokens.js';

/** The protected chat of the test plans. */
export const CHAT_ID = -1001;
/** The admin who gets notices. */
export const ADMIN_ID = 900;

/** A line the domain logged. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
}

/** Everything a reconciliation test uses. */
export interface ReconcileFixture {
  fake: FakeTelegram;
  token: string;
  store: Store;
  deps: ReconcileDeps;
  bot: PaywallBot;
  plan: Plan;
  logs: LogLine[];
  /** A pending order of the plan (or `plan`) for the user. */
  order(userId: number, plan?: Plan): Promise<Order>;
  /** The user pays the order by invoice (the polling bot answers the pre-checkout); the successful_payment is held back. Returns the charge id. */
  payHeld(user: FakeUser, order: Order): Promise<string>;
  /** The same with a 30-day subscription link. */
  subscribeHeld(user: FakeUser, order: Order): Promise<string>;
}

/** A Telegram user. */
export function user(id: number): FakeUser {
  return { id, first_name: `User ${id}`, language_code: 'en' };
}

function capturingLog(lines: LogLine[]): Log {
  const push = (level: LogLine['level']) => (_obj: object, msg?: string) => void lines.push({ level, msg: msg ?? '' });
  return { info: push('info'), warn: push('warn'), error: push('error') };
}

/** Builds the fixture; with `polling`, the bot consumes updates (pre-checkouts, payments) until the test ends. */
export async function createReconcileFixture(t: TestContext, database: TestDatabase, options: { polling?: boolean } = {}): Promise<ReconcileFixture> {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token } = makeToken();
  const botInfo = fake.addBot({ token, username: 'reconcile_test_bot', firstName: 'Reconcile' });
  const { store } = await openTestStore(t, database);
  await store.chats.upsert({ chatId: CHAT_ID, title: 'Club', botStatus: 'administrator', canInviteUsers: true, canRestrictMembers: true, checkedAt: T0 });
  const plan = await seedPlan(store, { chatIds: [CHAT_ID] });
  const logs: LogLine[] = [];
  const paywall = { store, clock: { now: () => T0 }, defaultChatId: undefined, adminUserIds: [ADMIN_ID] };
  const logger = silentLogger();
  const bot = createBot({
    token, apiRoot: fake.apiRoot, botInfo, logger, paywall, texts: await loadTextRenderer(store.settings), stats: async () => ({}), wakeJobs: () => undefined,
  });
  t.after(() => bot.limits.stop());
  if (options.polling) {
    const poller = startPolling({ api: bot.bot.api, handle: (update) => bot.bot.handleUpdate(update), logger, conflictGiveUpMs: 60_000, timeoutSeconds: 1 });
    t.after(() => poller.stop());
  }
  const deps: ReconcileDeps = { ...paywall, gateway: bot.gateway, log: capturingLog(logs) };
  const pay = async (buyer: FakeUser, invoice: { payload: string } | { link: string }) => {
    const result = await fake.pay(token, { user: buyer, invoice, deliverPayment: false, answerTimeoutMs: 5_000 });
    if (result.outcome !== 'paid' || !result.chargeId) throw new Error(`the payment did not go through: ${result.outcome} ${result.errorMessage ?? ''}`);
    return result.chargeId;
  };
  return {
    fake, token, store, deps, bot, plan, logs,
    async order(userId, forPlan = plan) {
      await seedUser(store, userId);
      return (await createOrder(paywall, userId, forPlan.id)).order;
    },
    async payHeld(buyer, order) {
      await bot.gateway.sendInvoice(buyer.id, { title: 'Monthly', description: 'Thirty days', payload: order.payload, amount: order.amount });
      return pay(buyer, { payload: order.payload });
    },
    async subscribeHeld(buyer, order) {
      const link = await bot.gateway.createSubscriptionLink({ title: 'Monthly', description: 'Thirty days', payload: order.payload, amount: order.amount });
      return pay(buyer, { link });
    },
  };
}
