/**
 * The dashboard app with its JSON API over a real database (SQLite file or
 * PostgreSQL), a movable clock and HTTP on port 0, closed when the test ends.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { ApiBackend, ApiDeps } from '../../../src/dashboard/api/ports.js';
import { createDashboardApp } from '../../../src/dashboard/create-app.js';
import { sameSecret } from '../../../src/dashboard/middleware/basic-auth.js';
import { createStore, type Db } from '../../../src/db/index.js';
import { createReadModels } from '../../../src/db/read-models/index.js';
import type { Store } from '../../../src/paywall/index.js';
import { findHtmlProblem } from '../../../src/paywall/texts/html.js';
import { openTestDb, silentLogger, type TestDatabase } from '../../helpers/databases.js';

/** The password the fixture's API expects. */
export const PASSWORD = 'fixture-password';
/** Basic credentials for it. */
export const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
/** The default chat (PAYWALL_CHAT_ID) of the fixture. */
export const DEFAULT_CHAT = -1001000000001;

/** A running API. */
export interface ApiFixture {
  db: Db;
  store: Store;
  base: string;
  /** Sets "now" for the domain and the read models. */
  setNow(date: Date): void;
  now(): Date;
  /** Makes the backend unavailable (as while the database is unreachable), or available again. */
  setOffline(offline: boolean): void;
  /** A request with the admin's credentials (unless `auth` is given); the body is sent as JSON unless it is a string. */
  request(method: string, path: string, options?: { body?: unknown; auth?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

/** Starts the API on `database`. */
export async function startApi(t: TestContext, database: TestDatabase, start = new Date('2026-03-01T12:00:00.000Z')): Promise<ApiFixture> {
  const { db } = await openTestDb(t, database);
  let now = start;
  let offline = false;
  const clock = { now: () => now };
  const store = createStore(db, clock);
  const backend: ApiBackend = {
    paywall: { store, clock, defaultChatId: DEFAULT_CHAT, adminUserIds: [] },
    reads: createReadModels(db.knex),
  };
  const api: ApiDeps = {
    backend: () => (offline ? undefined : backend),
    checkPassword: async (candidate) => sameSecret(candidate, PASSWORD),
    checkHtml: findHtmlProblem,
  };
  const app = createDashboardApp({ logger: silentLogger(), probeDatabase: async () => true, trustProxy: false, api });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    store,
    base,
    setNow: (date) => { now = date; },
    now: () => now,
    setOffline: (value) => { offline = value; },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const auth = options.auth === undefined ? AUTH : options.auth;
      if (auth !== null) headers.authorization = auth;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
  };
}

/** Records a user as if they had written to the bot. */
export async function seedUser(store: Store, id: number, names: { username?: string; firstName?: string; lastName?: string } = {}, at = new Date('2026-02-01T00:00:00Z')) {
  return store.users.touch({ id, ...names }, at);
}

/** Records a paid payment of `amount` Stars by `userId`. */
export async function seedPayment(store: Store, chargeId: string, userId: number, amount: number, createdAt: Date): Promise<void> {
  await store.payments.insert({
    chargeId, providerChargeId: null, userId, planId: null, orderId: null, subscriptionId: null, durationSeconds: 86_400, amount,
    currency: 'XTR', isRecurring: false, subscriptionExpiresAt: null, source: 'seed', createdAt,
  });
}
