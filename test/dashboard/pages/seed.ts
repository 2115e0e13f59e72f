/**
 * A small shop for the page tests, made through the domain functions: two
 * plans (one titled with a script), three buyers (names with a script), a
 * visitor who never paid, payments on three different days, an expired
 * subscription due for removal, a protected chat where the bot lacks rights,
 * and an audit entry whose details hold a script.
 */
import { addPlan, recordPayment, type PaywallDeps, type Plan } from '../../../src/paywall/index.js';
import { DEFAULT_CHAT, EVIL, type PagesFixture } from './pages-fixture.js';

/** The protected chat of the seeded plans. */
export const CHAT = -1002000000002;
/** The seeded users. */
export const USERS = { evil: 101, ana: 102, visitor: 103, cy: 104 } as const;
const DAY = 86_400_000;

/** What was seeded. */
export interface Shop {
  monthly: Plan;
  week: Plan;
  paywall: PaywallDeps;
}

/** The domain dependencies over the fixture's store and clock. */
export function paywallOf(f: PagesFixture): PaywallDeps {
  return { store: f.store, clock: { now: f.now }, defaultChatId: DEFAULT_CHAT, adminUserIds: [] };
}

async function buy(f: PagesFixture, paywall: PaywallDeps, userId: number, plan: Plan, chargeId: string, at: Date): Promise<void> {
  f.setNow(at);
  const payload = `order-${chargeId}`;
  await f.store.orders.create({ payload, userId, planId: plan.id, amount: plan.price, currency: 'XTR', createdAt: at });
  await recordPayment(paywall, { userId, chargeId, payload, amount: plan.price, currency: 'XTR', source: 'update' });
}

/** Seeds the shop; the clock ends where it started. */
export async function seedShop(f: PagesFixture): Promise<Shop> {
  const start = f.now();
  const paywall = paywallOf(f);
  const monthly = await addPlan(f.store.plans, { title: `Monthly ${EVIL}`, price: 250, duration: '30d', chatIds: [CHAT] });
  const week = await addPlan(f.store.plans, { title: 'Week', price: 100, duration: '7d', chatIds: [CHAT] });
  const seen = new Date(start.getTime() - 20 * DAY);
  await f.store.users.touch({ id: USERS.evil, firstName: EVIL, username: 'evil_user', languageCode: 'en' }, seen);
  await f.store.users.touch({ id: USERS.ana, firstName: 'Ana', lastName: EVIL, username: 'ana', languageCode: 'es' }, seen);
  await f.store.users.touch({ id: USERS.visitor, firstName: 'Visitor' }, seen);
  await f.store.users.touch({ id: USERS.cy, firstName: 'Cy' }, seen);
  await buy(f, paywall, USERS.ana, week, 'charge-ana-1', new Date(start.getTime() - 10 * DAY));
  await buy(f, paywall, USERS.evil, monthly, 'charge-evil-1', new Date(start.getTime() - 2 * DAY));
  await buy(f, paywall, USERS.cy, monthly, 'charge-cy-1', new Date(start.getTime() - 60_000));
  await f.store.chats.upsert({ chatId: CHAT, title: `VIP ${EVIL}`, botStatus: 'member', canInviteUsers: false, canRestrictMembers: false, checkedAt: start });
  await f.store.audit.record({ actor: 'telegram:1', action: 'grant', target: `user:${USERS.cy}`, details: { duration: '7d', note: EVIL } }, start);
  f.setNow(start);
  return { monthly, week, paywall };
}
