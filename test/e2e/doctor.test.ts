/**
 * `paywall doctor`, end to end: the real CLI against the fake Telegram server
 * and real databases. It exits 1 and names the fix for a bad token, a webhook
 * set elsewhere, a missing admin right in a protected chat and an unreachable
 * database; 0 when all is well; it records the rights it saw, names the lock
 * holder and the heartbeat of a running bot, and `--repair` records a
 * payment whose update was lost. The finer judgements are in test/cli/doctor.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb, type Db } from '../../src/db/index.js';
import { callBotApi } from '../fake-telegram/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const CHAT = -1001234567001;
const POLLING = /"msg":"Polling for updates"/;

/** The doctor line of `check` with `status`, e.g. `problem  token  Telegram rejected…`. */
function line(status: string, check: string, rest = ''): RegExp {
  return new RegExp(`^${status}\\s+${check}\\s+.*${rest}`, 'm');
}

async function openDb(t: TestContext, h: Harness): Promise<Db> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  t.after(() => db.close());
  return db;
}

async function addPlan(h: Harness): Promise<number> {
  const added = await h.run(['plans', 'add', '--title', 'Monthly', '--price', '50', '--duration', '30d', '--chat', String(CHAT)]);
  assert.equal(added.code, 0, added.stderr);
  return Number(added.stdout.trim());
}

/** A loopback port nobody listens on (bound, then released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const databases = await testDatabases();

// Concurrent throughout: each test has its own fake server, database and lock directory.
describe('paywall doctor', { concurrency: true }, () => {
  for (const database of databases) {
    describe(`paywall doctor (${database.kind})`, { concurrency: true }, () => {
      test('a missing "Ban users" right: exit 1 naming the chat, the right and the fix; once granted, exit 0; the chats table follows', async (t) => {
        const h = await createHarness(t, database);
        h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Room A', botRights: { status: 'administrator', can_invite_users: true, can_restrict_members: false } });
        await addPlan(h);
        const db = await openDb(t, h);

        const broken = await h.run(['doctor']);
        assert.equal(broken.code, 1, broken.stdout + broken.stderr);
        assert.match(broken.stdout, line('problem', 'chat-rights', `"Room A" \\(${CHAT}\\).*"Ban users"`));
        assert.match(broken.stdout, /fix: In Telegram, make the bot an administrator of that chat with the "Invite users".*"Ban users"/);
        assert.match(broken.stdout, line('ok', 'token', 'Telegram accepts the token'));
        assert.match(broken.stdout, line('ok', 'webhook', 'No webhook is set'));
        assert.match(broken.stdout, line('ok', 'database'));
        assert.match(broken.stdout, line('ok', 'schema', 'up to date'));
        let row = await db.knex('protected_chats').where({ chat_id: CHAT }).first();
        assert.equal(row.title, 'Room A');
        assert.equal(Boolean(row.can_invite_users), true);
        assert.equal(Boolean(row.can_restrict_members), false);

        h.fake.setBotRights(h.token, CHAT, { status: 'administrator', can_invite_users: true, can_restrict_members: true });
        const fixed = await h.run(['doctor', '--json']);
        assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
        const report = JSON.parse(fixed.stdout) as { ok: boolean; problems: number; checks: { check: string; status: string; summary: string; fix?: string }[] };
        assert.equal(report.ok, true);
        assert.equal(report.problems, 0);
        assert.equal(report.checks.find((c) => c.check === 'chat-rights')?.status, 'ok');
        // No runtime runs here: a warning with its fix, not a problem.
        const runtime = report.checks.find((c) => c.check === 'runtime');
        assert.equal(runtime?.status, 'warning');
        assert.match(runtime?.fix ?? '', /paywall bot/);
        row = await db.knex('protected_chats').where({ chat_id: CHAT }).first();
        assert.equal(Boolean(row.can_restrict_members), true);

        assert.equal(h.fake.calls({ method: 'getUpdates' }).length, 0, 'doctor never consumes updates');
        h.assertNoTokenLeak();
      });

      test('a running bot: exit 0, naming its lock and its heartbeat (and the lease holder on PostgreSQL)', async (t) => {
        const h = await createHarness(t, database);
        h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Room A' });
        await addPlan(h);
        const bot = h.spawn(['bot']);
        await bot.waitForOutput(POLLING, 20_000);

        const result = await h.run(['doctor']);
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(result.stdout, line('ok', 'lock', `held by pid ${bot.pid} on host`));
        assert.match(result.stdout, line('ok', 'runtime', `A bot runtime is running: pid ${bot.pid} on host ${hostname()} \\(polling`));
        assert.match(result.stdout, line('ok', 'chat-rights', '"Room A"'));
        if (database.kind === 'postgres') assert.match(result.stdout, /^(ok|warning)\s+lease\s+/m);
        assert.ok(!bot.exited, 'the bot kept running');
        h.assertNoTokenLeak();
      });

      test('--repair records a payment whose update was lost, once', async (t) => {
        const h = await createHarness(t, database);
        h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Room A' });
        const planId = await addPlan(h);
        const bot = h.spawn(['bot']);
        await bot.waitForOutput(POLLING, 20_000);
        const user = { id: 880011, first_name: 'Lost' };
        h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
        await h.fake.waitForCall({ method: 'sendInvoice', token: h.token, status: 200 }, 10_000);
        const paid = await h.fake.pay(h.token, { user, invoice: 'last', deliverPayment: false });
        assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
        bot.kill('SIGTERM');
        assert.equal((await bot.waitForExit(15_000)).code, 0, bot.stderr());
        const db = await openDb(t, h);
        assert.equal(await db.knex('payments').where({ charge_id: paid.chargeId }).first(), undefined);

        const repaired = await h.run(['doctor', '--repair']);
        assert.match(repaired.stdout, line('ok', 'repair', `recorded 1 missed payment \\(${paid.chargeId}\\)`), repaired.stdout + repaired.stderr);
        assert.match(repaired.stdout, line('ok', 'payments', 'Every Stars payment of the last 7 days is recorded'));
        assert.equal(repaired.code, 0, repaired.stdout);
        assert.ok(await db.knex('payments').where({ charge_id: paid.chargeId }).first());
        const sub = await db.knex('subscriptions').where({ user_id: user.id }).first();
        assert.equal(sub?.status, 'active');

        const again = await h.run(['doctor', '--repair']);
        assert.match(again.stdout, line('ok', 'repair', 'nothing was missing'));
        assert.equal((await db.knex('payments').where({ charge_id: paid.chargeId })).length, 1);
        h.assertNoTokenLeak();
      });
    });
  }

  describe('paywall doctor: Telegram and an unreachable database', { concurrency: true }, () => {
    const sqlite = databases.find((d) => d.kind === 'sqlite')!;

    test('a token Telegram rejects: exit 1, "Telegram rejected the token", fix from @BotFather', async (t) => {
      const h = await createHarness(t, sqlite);
      h.fake.revokeToken(h.token);
      const result = await h.run(['doctor']);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, line('problem', 'token', 'Telegram rejected the token'));
      assert.match(result.stdout, /fix: Copy the token again from @BotFather/);
      assert.match(result.stdout, line('skipped', 'webhook'));
      h.assertNoTokenLeak();
    });

    test('a webhook set elsewhere: exit 1 naming its host (never its path) and the fix; the webhook stays', async (t) => {
      const h = await createHarness(t, sqlite);
      await callBotApi(h.fake.apiRoot, h.token, 'setWebhook', { url: 'https://old-deploy.example.com/hook/s3cret-path' });

      const polling = await h.run(['doctor']);
      assert.equal(polling.code, 1, polling.stdout + polling.stderr);
      assert.match(polling.stdout, line('problem', 'webhook', 'to old-deploy\\.example\\.com\\) while WEBHOOK_URL is unset'));
      assert.match(polling.stdout, /fix: .*`paywall bot --delete-webhook`/);

      const webhookMode = await h.run(['doctor'], { env: { WEBHOOK_URL: 'https://new-deploy.example.com' } });
      assert.equal(webhookMode.code, 1, webhookMode.stdout + webhookMode.stderr);
      assert.match(webhookMode.stdout, line('problem', 'webhook', 'points to old-deploy\\.example\\.com, not to this deployment\'s new-deploy\\.example\\.com'));
      assert.match(webhookMode.stdout, /fix: Stop the other deployment/);

      for (const out of [polling.stdout, polling.stderr, webhookMode.stdout, webhookMode.stderr]) assert.ok(!out.includes('s3cret-path'), out);
      assert.equal(h.fake.webhook(h.token)?.url, 'https://old-deploy.example.com/hook/s3cret-path', 'doctor left the webhook alone');
      h.assertNoTokenLeak();
    });

    test('PostgreSQL on an unused port: exit 1 within seconds, naming the host, never the password', async (t) => {
      const h = await createHarness(t, sqlite);
      const port = await unusedPort();
      const url = `postgres://paywall:pw-not-to-show@127.0.0.1:${port}/paywall`;
      const started = Date.now();
      // Deadline from the spawn: refused connections fail at once; 20 s leaves room on a busy machine.
      const result = await h.run(['doctor'], { env: { DATABASE_URL: url } }, 20_000);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.ok(Date.now() - started < 20_000);
      assert.match(result.stdout, line('problem', 'database', `PostgreSQL at postgres://paywall:redacted@127\\.0\\.0\\.1:${port}/paywall is unreachable`));
      assert.match(result.stdout, /fix: Check that the server is running/);
      assert.match(result.stdout, line('skipped', 'chat-rights'));
      assert.ok(!(result.stdout + result.stderr).includes('pw-not-to-show'));
    });

    test('a SQLite file that is not there: exit 1 with the fix, and doctor does not create it', async (t) => {
      const h = await createHarness(t, sqlite);
      const file = join(h.dir, 'nowhere', 'paywall.db');
      const result = await h.run(['doctor'], { env: { DATABASE_URL: `sqlite:${file}` } });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, line('problem', 'database', `There is no database at ${file.replace(/[.]/g, '\\.')}`));
      assert.match(result.stdout, /fix: .*same DATABASE_URL.*`paywall db migrate`/);
      assert.ok(!existsSync(join(h.dir, 'nowhere')), 'doctor created the database directory');
    });
  });
});
