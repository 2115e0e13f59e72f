/**
 * A paywall set-up for benchmarks: a fresh database, a bot on the fake with
 * one protected channel and one 30-day plan, the environment for `paywall`
 * processes, and starting the bot and the dashboard until they are ready.
 */
import { join } from 'node:path';
import { createDatabase, tempDir } from './database.mjs';
import { paywallOk, startPaywall } from './process.mjs';

/** The protected channel of every benchmark. */
export const CHAT_ID = -1001900000001;
/** The admin password of benchmark dashboards. */
export const PASSWORD = 'bench-password-0123456789';

/** The bot's readiness line (bot.ts logs it once it polls). */
export const BOT_READY = /"msg":"Polling for updates"/;
/** The dashboard's readiness line, with its port. */
export const DASHBOARD_READY = /Dashboard listening on port (\d+)/;

/**
 * Creates the database, registers the bot and its channel on the fake, adds
 * the plan (unless plan: false). Returns { token, env, db, dir, planId }.
 */
export async function preparePaywall(scope, fakeEnv, kind, { plan = true, env: extra = {} } = {}) {
  const db = await createDatabase(scope, kind);
  const dir = await tempDir(scope);
  const token = fakeEnv.addBot('paywall');
  fakeEnv.fake.addChat(token, { id: CHAT_ID, type: 'channel', title: 'Bench VIP' });
  const env = {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: fakeEnv.fake.apiRoot,
    DATABASE_URL: db.url,
    PAYWALL_LOCK_DIR: join(dir, 'locks'),
    PORT: '0',
    HOST: '127.0.0.1',
    DASHBOARD_PASSWORD: PASSWORD,
    ...extra,
  };
  let planId;
  if (plan) {
    const out = await paywallOk(scope, ['plans', 'add', '--title', 'VIP month', '--price', '50', '--duration', '30d', '--chat', String(CHAT_ID)], { env, cwd: dir });
    planId = Number(out);
  }
  return { token, env, db, dir, planId };
}

/** Starts `paywall bot` and waits until it polls (bounded). */
export async function startBot(scope, setup, { nodeArgs = [], env = {}, timeoutMs = 60_000 } = {}) {
  const bot = startPaywall(scope, ['bot'], { env: { ...setup.env, ...env }, cwd: setup.dir, nodeArgs });
  await bot.waitForLine(BOT_READY, timeoutMs);
  return bot;
}

/** Starts `paywall dashboard` and waits for its port (bounded). */
export async function startDashboard(scope, setup, { env = {}, nodeArgs = [], timeoutMs = 60_000 } = {}) {
  const dashboard = startPaywall(scope, ['dashboard'], { env: { ...setup.env, ...env }, cwd: setup.dir, nodeArgs });
  const ready = await dashboard.waitForLine(DASHBOARD_READY, timeoutMs);
  return { dashboard, port: Number(DASHBOARD_READY.exec(ready.text)[1]) };
}

/** Basic credentials of the benchmark admin. */
export function basicAuth() {
  return `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
}

/** A JSON API call with Basic auth; resolves with { status, body }. */
export async function api(port, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: basicAuth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}
