/**
 * One end-to-end set-up: a fake Telegram server with a bot, a database of the
 * chosen kind, a lock directory, and the environment for `paywall` processes.
 */
import type { TestContext } from 'node:test';
import { createFakeTelegram, type FakeTelegram } from '../fake-telegram/index.js';
import { assertNoSecret, spawnPaywall, runPaywall, type PaywallProcess, type SpawnOptions } from './cli.js';
import type { TestDatabase } from './databases.js';
import { tempDir } from './tmp.js';
import { makeToken } from './tokens.js';

/** Everything a test needs to run paywall against the fake server. */
export interface Harness {
  fake: FakeTelegram;
  token: string;
  botId: number;
  dbUrl: string;
  lockDir: string;
  dir: string;
  env: Record<string, string>;
  spawn(args: string[], options?: SpawnOptions): PaywallProcess;
  run(args: string[], options?: SpawnOptions, timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Fails if the token appeared in anything captured so far. */
  assertNoTokenLeak(): void;
}

/** Builds a harness; everything is closed in t.after. */
export async function createHarness(t: TestContext, database: TestDatabase, overrides: { fake?: FakeTelegram; lockDir?: string } = {}): Promise<Harness> {
  const dir = tempDir(t);
  const fake = overrides.fake ?? (await createFakeTelegram());
  if (!overrides.fake) t.after(() => fake.close());
  const { token, botId } = makeToken();
  fake.addBot({ token, username: `paywall_test_${botId}_bot`, firstName: 'Paywall Test' });
  const db = await database.create();
  t.after(() => db.drop());
  const lockDir = overrides.lockDir ?? `${dir}/locks`;
  const env = {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: db.url,
    PAYWALL_LOCK_DIR: lockDir,
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const captured: PaywallProcess[] = [];
  const texts: string[] = [];
  return {
    fake, token, botId, dbUrl: db.url, lockDir, dir, env,
    spawn(args, options = {}) {
      assertNoSecret(token, ...args);
      const proc = spawnPaywall(t, args, { cwd: dir, ...options, env: { ...env, ...options.env } });
      captured.push(proc);
      return proc;
    },
    async run(args, options = {}, timeoutMs) {
      assertNoSecret(token, ...args);
      const result = await runPaywall(args, { cwd: dir, ...options, env: { ...env, ...options.env } }, timeoutMs);
      texts.push(result.stdout, result.stderr);
      return result;
    },
    assertNoTokenLeak() {
      assertNoSecret(token, ...texts, ...captured.flatMap((p) => [p.stdout(), p.stderr()]));
    },
  };
}
