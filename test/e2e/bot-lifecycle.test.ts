/**
 * `paywall bot` from start to stop: token checks, the webhook check, /start,
 * SIGTERM, the heartbeat — real processes, the fake server, both databases.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { createDb, readHeartbeat } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const POLLING = /"msg":"Polling for updates"/;

async function telegram(apiRoot: string, token: string, method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await res.json()) as { ok: boolean; result?: Record<string, unknown> };
}

for (const database of await testDatabases()) {
  describe(`paywall bot lifecycle (${database.kind})`, () => {
    test('answers /start, writes its heartbeat, and on SIGTERM confirms the offset, releases the lock and exits 0', async (t) => {
      const h = await createHarness(t, database);
      const bot = h.spawn(['bot']);
      await bot.waitForOutput(POLLING, 15_000);
      const updateId = h.fake.userSends(h.token, { user: { id: 7001, first_name: 'Dee', language_code: 'en' }, text: '/start' });
      const reply = await h.fake.waitForCall({ method: 'sendMessage', token: h.token }, 10_000);
      assert.equal(Number(reply.params.chat_id), 7001);
      assert.match(String(reply.params.text), /Welcome/);

      const config = loadConfig({ env: { DATABASE_URL: h.dbUrl }, cwd: h.dir });
      const db = await createDb(config.database, createLogger({ logLevel: 'silent', logFormat: 'json', secrets: [] }));
      try {
        await waitUntil(async () => (await readHeartbeat(db, h.botId))?.lastPollAt != null, 6_000, 'the heartbeat records a poll');
        const beat = await readHeartbeat(db, h.botId);
        assert.equal(beat?.pid, bot.pid);
        assert.equal(beat?.mode, 'polling');
        assert.ok(beat?.lastPollAt, 'a successful poll is recorded');
        assert.equal(beat?.conflicts, 0);
      } finally {
        await db.close();
      }

      bot.kill('SIGTERM');
      const exit = await bot.waitForExit(10_000);
      assert.equal(exit.code, 0, bot.stderr());
      assert.ok(h.fake.lastConfirmedOffset(h.token) > updateId, 'the handled update was confirmed');
      assert.equal(h.fake.pendingUpdates(h.token), 0);
      assert.deepEqual(readdirSync(h.lockDir).filter((n) => n.endsWith('.lock') || n.endsWith('.holder.json')), []);
      assert.match(bot.stderr(), /Stopped polling; offset confirmed/);
      h.assertNoTokenLeak();
    });

    test('a token Telegram rejects exits 4', async (t) => {
      const h = await createHarness(t, database);
      h.fake.revokeToken(h.token);
      const result = await h.run(['bot']);
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /rejected the bot token/);
      assert.equal(h.fake.getUpdatesCount(h.token), 0);
      h.assertNoTokenLeak();
    });

    test('a webhook set: exits 5 and leaves it in place; with --delete-webhook it polls', async (t) => {
      const h = await createHarness(t, database);
      const set = await telegram(h.fake.apiRoot, h.token, 'setWebhook', { url: 'https://old-deployment.example.com/telegram/webhook' });
      assert.equal(set.ok, true);

      const refused = await h.run(['bot']);
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, /old-deployment\.example\.com/);
      assert.match(refused.stderr, /--delete-webhook/);
      assert.equal(h.fake.getUpdatesCount(h.token), 0);
      const info = await telegram(h.fake.apiRoot, h.token, 'getWebhookInfo');
      assert.equal(info.result?.url, 'https://old-deployment.example.com/telegram/webhook');

      const bot = h.spawn(['bot', '--delete-webhook']);
      await bot.waitForOutput(POLLING, 15_000);
      await h.fake.waitForCall({ method: 'getUpdates', token: h.token }, 5_000);
      const after = await telegram(h.fake.apiRoot, h.token, 'getWebhookInfo');
      assert.equal(after.result?.url, '');
      h.assertNoTokenLeak();
    });

    test('works from a working directory other than the checkout, with data relative to it', async (t) => {
      const h = await createHarness(t, database);
      const bot = h.spawn(['bot'], { cwd: h.dir });
      await bot.waitForOutput(POLLING, 15_000);
      bot.kill('SIGINT');
      assert.equal((await bot.waitForExit(10_000)).code, 0);
      if (database.kind === 'sqlite') {
        const local = await h.run(['plans', 'list', '--json'], { cwd: h.dir, env: { DATABASE_URL: undefined } });
        assert.equal(local.code, 0, local.stderr);
        assert.ok(existsSync(`${h.dir}/data/paywall.db`), 'the default database lives under the working directory');
      }
    });
  });
}

describe('paywall bot with an unusable lock directory', () => {
  test('exits 2 naming PAYWALL_LOCK_DIR', async (t) => {
    const [database] = await testDatabases();
    const h = await createHarness(t, database!);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${h.dir}/not-a-dir`, '');
    const result = await h.run(['bot'], { env: { PAYWALL_LOCK_DIR: `${h.dir}/not-a-dir/locks` } });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /PAYWALL_LOCK_DIR/);
    assert.equal(h.fake.getUpdatesCount(h.token), 0);
  });
});

describe('paywall bot without a token', () => {
  test('exits 2 and says how to set it', async (t) => {
    const { runPaywall } = await import('../helpers/cli.js');
    const { tempDir } = await import('../helpers/tmp.js');
    const dir = tempDir(t);
    const result = await runPaywall(['bot'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /TELEGRAM_BOT_TOKEN is not set/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
});
