/**
 * The pages router over a real database (SQLite file or PostgreSQL) through
 * the real read models, inside a small Koa app that does what the sign-in
 * gate will: marks the request as a signed-in admin with a session and a
 * CSRF token, and parses urlencoded forms into `ctx.request.body`. HTTP on
 * port 0, a movable clock; everything is closed when the test ends.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import Koa from 'koa';
import { assetsRouter } from '../../../src/dashboard/assets/assets-router.js';
import type { PageBackend, PagesDeps } from '../../../src/dashboard/pages/deps.js';
import { pagesMiddleware } from '../../../src/dashboard/routes/pages/index.js';
import { createStore, type Db } from '../../../src/db/index.js';
import { createReadModels } from '../../../src/db/read-models/index.js';
import { createPageReads } from '../../../src/db/read-models/pages.js';
import type { Store } from '../../../src/paywall/index.js';
import { findHtmlProblem } from '../../../src/paywall/texts/html.js';
import { capturingLogger, openTestDb, type TestDatabase } from '../../helpers/databases.js';

/** The session's CSRF token every page must carry in its forms. */
export const CSRF = 'csrf-token-for-tests-0123456789';
/** The actor the fixture's admin acts as. */
export const ACTOR = 'dashboard:tester';
/** PAYWALL_CHAT_ID of the fixture. */
export const DEFAULT_CHAT = -1001000000001;
/** A first name that would run a script if a page forgot to escape it. */
export const EVIL = '<script>alert(1)</script>';

/** A response as the tests read it. */
export interface PageResponse {
  status: number;
  text: string;
  headers: Headers;
}

/** A running pages app. */
export interface PagesFixture {
  db: Db;
  store: Store;
  base: string;
  /** The log lines the pages wrote (JSON). */
  logLines: string[];
  setNow(date: Date): void;
  now(): Date;
  /** Makes the backend unavailable (the database is down), or available again. */
  setOffline(offline: boolean): void;
  get(path: string): Promise<PageResponse>;
  /** Posts a urlencoded form (never following a redirect); `_csrf` is not needed here (the gate checks it). */
  post(path: string, fields: Record<string, string | string[]>): Promise<PageResponse>;
}

/** Parses a urlencoded body as the real form middleware does: a name given twice becomes an array. */
function parseForm(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const prior = fields[name];
    fields[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return fields;
}

function gate(): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.admin = { actor: ACTOR, via: 'session' };
    ctx.state.session = { id: 'session-1', csrfToken: CSRF };
    if (ctx.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.request.body = parseForm(Buffer.concat(chunks).toString('utf8'));
    }
    await next();
  };
}

/** Starts the pages on `database` with `options` for the deps. */
export async function startPages(t: TestContext, database: TestDatabase, options: { start?: Date; graceMs?: number; staticWarnings?: string[]; defaultChatId?: number | null } = {}): Promise<PagesFixture> {
  const { db } = await openTestDb(t, database);
  let now = options.start ?? new Date('2026-03-10T12:00:00.000Z');
  let offline = false;
  const clock = { now: () => now };
  const store = createStore(db, clock);
  const defaultChatId = options.defaultChatId === null ? undefined : (options.defaultChatId ?? DEFAULT_CHAT);
  const backend: PageBackend = {
    paywall: { store, clock, defaultChatId, adminUserIds: [] },
    reads: createReadModels(db.knex),
    pages: createPageReads(db.knex),
  };
  const { logger, lines } = capturingLogger('error');
  const deps: PagesDeps = {
    backend: () => (offline ? undefined : backend),
    checkHtml: findHtmlProblem,
    graceMs: options.graceMs ?? 0,
    staticWarnings: options.staticWarnings ?? [],
    logger,
  };
  const app = new Koa();
  app.silent = true;
  const assets = assetsRouter();
  app.use(assets.routes());
  app.use(gate());
  app.use(pagesMiddleware(deps));
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answer = async (res: Response): Promise<PageResponse> => ({ status: res.status, text: await res.text(), headers: res.headers });
  return {
    db,
    store,
    base,
    logLines: lines,
    setNow: (date) => { now = date; },
    now: () => now,
    setOffline: (value) => { offline = value; },
    get: async (path) => answer(await fetch(`${base}${path}`, { redirect: 'manual' })),
    async post(path, fields) {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      return answer(await fetch(`${base}${path}`, { method: 'POST', body, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    },
  };
}
