/**
 * A running paywall "stack" for end-to-end tests: `paywall bot` and
 * `paywall dashboard` on one database and the fake Telegram server, with a
 * JSON API client authenticated by HTTP Basic.
 */
import type { PaywallProcess } from './cli.js';
import type { Harness } from './harness.js';

/** The admin password the stack's dashboard uses. */
export const TEST_PASSWORD = 'test-password-0123456789';

/** A running stack. */
export interface Stack {
  bot: PaywallProcess;
  dashboard: PaywallProcess;
  port: number;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Starts the dashboard (waits for its port) and the bot (waits until it polls). */
export async function startStack(h: Harness, env: Record<string, string | undefined> = {}): Promise<Stack> {
  const shared = { DASHBOARD_PASSWORD: TEST_PASSWORD, ...env };
  const dashboard = h.spawn(['dashboard'], { env: shared });
  const out = await dashboard.waitForOutput(/Dashboard listening on port (\d+)/, 20_000);
  const port = Number(/Dashboard listening on port (\d+)/.exec(out)![1]);
  const bot = h.spawn(['bot'], { env: shared });
  await bot.waitForOutput(/"msg":"Polling for updates"/, 20_000);
  const auth = `Basic ${Buffer.from(`admin:${TEST_PASSWORD}`).toString('base64')}`;
  return {
    bot,
    dashboard,
    port,
    async api(method, path, body) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed as never };
    },
  };
}
