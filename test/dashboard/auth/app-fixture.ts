/**
 * The whole dashboard app (pages gate, login, sessions, JSON API) over a real
 * database, HTTP on port 0 and a movable clock, with a small cookie-keeping
 * browser for the tests; closed when the test ends.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { Middleware } from 'koa';
import type { ApiBackend, ApiDeps } from '../../../src/dashboard/api/ports.js';
import { createDashboardApp } from '../../../src/dashboard/create-app.js';
import { sameSecret } from '../../../src/dashboard/middleware/basic-auth.js';
import { createStore, type Db } from '../../../src/db/index.js';
import { createReadModels } from '../../../src/db/read-models/index.js';
import { createSessionStore, type AdminSessionStore } from '../../../src/db/session-store.js';
import type { Store } from '../../../src/paywall/index.js';
import { findHtmlProblem } from '../../../src/paywall/texts/html.js';
import { openTestDb, silentLogger, type TestDatabase } from '../../helpers/databases.js';

/** The admin password of the fixture. */
export const PASSWORD = 'auth-fixture-password';
/** Basic credentials for it. */
export const basic = (password = PASSWORD, user = 'admin') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** An answer, read whole. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The Set-Cookie lines. */
  setCookies: string[];
  json(): any;
}

/** A client that keeps cookies like a browser (ignoring their paths) and never follows redirects. */
export interface Browser {
  cookies: Map<string, string>;
  request(method: string, path: string, options?: { form?: Record<string, string>; body?: string; headers?: Record<string, string> }): Promise<Answer>;
  /** The hidden `_csrf` of the login form (GET /login). */
  loginToken(): Promise<string>;
  /** Logs in through the form; returns the POST's answer. */
  logIn(password?: string, extra?: Record<string, string>): Promise<Answer>;
}

/** A running app. */
export interface AuthApp {
  db: Db;
  store: Store;
  sessions: AdminSessionStore;
  base: string;
  setNow(date: Date): void;
  /** Makes the database unreachable for the app (sessions and backend), or reachable again. */
  setOffline(offline: boolean): void;
  browser(defaults?: Record<string, string>): Browser;
}

/** Options of startAuthApp. */
export interface AuthAppOptions {
  trustProxy?: boolean;
  pages?: Middleware;
  assets?: Middleware;
}

/** The `_csrf` value of the first form in `html`. */
export function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No _csrf field in:\n${html}`);
  return match[1]!;
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, setCookies: res.headers.getSetCookie(), json: () => JSON.parse(text) };
}

/** A cookie-keeping client of the dashboard at `base` (an in-process app or a real process), sending `defaults` headers on every request. */
export function createBrowser(base: string, defaults: Record<string, string> = {}): Browser {
  const cookies = new Map<string, string>();
  const absorb = (lines: string[]) => {
    for (const line of lines) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const browser: Browser = {
    cookies,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...defaults, ...options.headers };
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      let body = options.body;
      if (options.form) {
        body = new URLSearchParams(options.form).toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      }
      const answer = await read(await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' }));
      absorb(answer.setCookies);
      return answer;
    },
    async loginToken() {
      const page = await browser.request('GET', '/login');
      return csrfIn(page.text);
    },
    async logIn(password = PASSWORD, extra = {}) {
      const token = await browser.loginToken();
      return browser.request('POST', '/login', { form: { _csrf: token, password, ...extra } });
    },
  };
  return browser;
}

/** Starts the app on a fresh database of `database`'s kind. */
export async function startAuthApp(t: TestContext, database: TestDatabase, options: AuthAppOptions = {}): Promise<AuthApp> {
  const { db } = await openTestDb(t, database);
  let now = new Date('2026-03-01T12:00:00.000Z');
  let offline = false;
  const clock = { now: () => now };
  const store = createStore(db, clock);
  const sessions = createSessionStore(db.knex);
  const backend: ApiBackend = { paywall: { store, clock, defaultChatId: -1001000000001, adminUserIds: [] }, reads: createReadModels(db.knex) };
  const api: ApiDeps = {
    backend: () => (offline ? undefined : backend),
    checkPassword: async (candidate) => sameSecret(candidate, PASSWORD),
    checkHtml: findHtmlProblem,
  };
  const app = createDashboardApp({
    logger: silentLogger(), probeDatabase: async () => !offline, trustProxy: options.trustProxy ?? false, api,
    sessions: () => (offline ? undefined : sessions), now: clock.now,
    ...(options.pages ? { pages: options.pages } : {}), ...(options.assets ? { assets: options.assets } : {}),
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db, store, sessions, base,
    setNow: (date) => { now = date; },
    setOffline: (value) => { offline = value; },
    browser: (defaults = {}) => createBrowser(base, defaults),
  };
}
