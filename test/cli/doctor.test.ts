/**
 * The doctor's judgements, one by one (pure functions over what each check
 * saw), and `runDoctor` in-process against the fake Telegram server and real
 * databases for the cases the end-to-end suite leaves out: a database never
 * migrated, one owned by another bot, and a bot that sells from another
 * database. The acceptance cases run the real CLI in test/e2e/doctor.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { WebhookInfo } from 'grammy/types';
import lockfile from 'proper-lockfile';
import { runDoctor } from '../../src/cli/commands/doctor.js';
import { ok, problem, warning, type CheckResult } from '../../src/cli/doctor/check.js';
import { judgeRights } from '../../src/cli/doctor/chat-checks.js';
import { judgeJobs, judgeMigrations } from '../../src/cli/doctor/database-checks.js';
import { IN_FLIGHT_MS, RECENT_MS, classifyEntries, judgeLedger } from '../../src/cli/doctor/ledger-check.js';
import { judgeRepair } from '../../src/cli/doctor/repair.js';
import { doctorExitCode, formatJson, formatReport, verdict } from '../../src/cli/doctor/report.js';
import { judgeHeartbeat, judgeLock, judgeSharing, type LockFacts } from '../../src/cli/doctor/runtime-checks.js';
import { checkToken, createDoctorApi, expectedWebhookUrl, judgeWebhook } from '../../src/cli/doctor/telegram-checks.js';
import { loadConfig } from '../../src/config/config.js';
import { BOT_ID_SETTING, createDb, createSettingsStore, knownMigrations } from '../../src/db/index.js';
import { writeHolderRecord } from '../../src/lock/holder-record.js';
import type { Heartbeat, StarTransactionEntry } from '../../src/paywall/index.js';
import { createFakeTelegram } from '../fake-telegram/index.js';
import { openTestDb, silentLogger, testDatabases } from '../helpers/databases.js';
import { tempDir } from '../helpers/tmp.js';
import { makeToken } from '../helpers/tokens.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const HOST = 'host-a';
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function webhookInfo(fields: Partial<WebhookInfo> = {}): WebhookInfo {
  return { url: '', has_custom_certificate: false, pending_update_count: 0, ...fields };
}

function heartbeat(fields: Partial<Heartbeat> = {}): Heartbeat {
  return { botId: 1, pid: 4242, host: HOST, mode: 'polling', startedAt: ago(600_000), lastPollAt: ago(5_000), lastWebhookErrorAt: null, conflicts: 0, updatedAt: ago(2_000), ...fields };
}

function lockFacts(fields: Partial<LockFacts> = {}): LockFacts {
  return { lockDir: '/locks', lockPath: '/locks/abc.lock', held: false, holder: undefined, ...fields };
}

describe('judgeWebhook', () => {
  test('long polling: no webhook is ok; a webhook set elsewhere is a problem naming its host, never its path', () => {
    assert.equal(judgeWebhook(webhookInfo({ pending_update_count: 3 }), undefined, NOW).status, 'ok');
    const set = judgeWebhook(webhookInfo({ url: 'https://old.example.com:8443/hook/s3cret' }), undefined, NOW);
    assert.equal(set.status, 'problem');
    assert.match(set.summary, /old\.example\.com:8443/);
    assert.ok(!JSON.stringify(set).includes('s3cret'));
    assert.match(set.fix ?? '', /paywall bot --delete-webhook/);
  });

  test('webhook mode: ours is ok; none, or another URL, is a problem; a recent delivery error is a warning', () => {
    const base = 'https://pay.example.com/base';
    assert.equal(expectedWebhookUrl(`${base}/`), `${base}/telegram/webhook`);
    assert.equal(judgeWebhook(webhookInfo({ url: `${base}/telegram/webhook` }), base, NOW).status, 'ok');
    assert.equal(judgeWebhook(webhookInfo(), base, NOW).status, 'problem');
    const other = judgeWebhook(webhookInfo({ url: 'https://old.example.com/telegram/webhook' }), base, NOW);
    assert.equal(other.status, 'problem');
    assert.match(other.summary, /points to old\.example\.com, not to this deployment's pay\.example\.com/);
    const erring = { url: `${base}/telegram/webhook`, last_error_message: 'Wrong response from the webhook: 503', last_error_date: Math.floor(NOW.getTime() / 1000) - 60 };
    const recent = judgeWebhook(webhookInfo(erring), base, NOW);
    assert.equal(recent.status, 'warning');
    assert.match(recent.summary, /Wrong response from the webhook: 503/);
    assert.equal(judgeWebhook(webhookInfo({ ...erring, last_error_date: erring.last_error_date - 7_200 }), base, NOW).status, 'ok');
  });
});

describe('checkToken', () => {
  test('a Bot API that does not answer in time is a problem, not a hang', async (t) => {
    const fake = await createFakeTelegram();
    t.after(() => fake.close());
    const { token } = makeToken();
    fake.addBot({ token });
    assert.equal((await checkToken(createDoctorApi(token, fake.apiRoot, 2_000), fake.apiRoot)).result.status, 'ok');
    fake.setLatency(5_000);
    const started = Date.now();
    const slow = await checkToken(createDoctorApi(token, fake.apiRoot, 200), fake.apiRoot);
    // From the call: 200 ms deadline, with slack for a busy machine, well below the fake's 5 s latency.
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    assert.equal(slow.result.status, 'problem');
    assert.match(slow.result.summary, /Could not reach the Telegram Bot API at .*: no answer within/);
    assert.ok(!slow.result.summary.includes(token));
  });
});

describe('judgeRights', () => {
  const rights = (status: string, canInviteUsers: boolean, canRestrictMembers: boolean, title: string | null = 'Club') => ({ status, title, canInviteUsers, canRestrictMembers });
  test('an administrator with both rights is ok; a member, or a missing right, is a problem naming the chat and the right', () => {
    assert.equal(judgeRights(-100, rights('administrator', true, true)).status, 'ok');
    assert.equal(judgeRights(-100, rights('creator', true, true)).status, 'ok');
    const member = judgeRights(-100, rights('member', false, false));
    assert.equal(member.status, 'problem');
    assert.match(member.summary, /not an administrator of "Club" \(-100\).*"member"/);
    assert.match(judgeRights(-100, rights('administrator', false, true)).summary, /lacks the "Invite users" right/);
    assert.match(judgeRights(-100, rights('administrator', false, false, null)).summary, /of chat -100 but lacks the "Invite users" and "Ban users" rights/);
    assert.match(judgeRights(-100, rights('administrator', true, false)).fix ?? '', /"Invite users".*"Ban users"/);
  });
});

describe('judgeMigrations and judgeJobs', () => {
  const known = knownMigrations();
  test('never migrated, behind, ahead, current, and a held migration lock', () => {
    const never = judgeMigrations({ applied: undefined, known, locked: false });
    assert.equal(never.current, false);
    assert.match(never.results[0]!.summary, /never migrated/);
    const behind = judgeMigrations({ applied: known.slice(0, 1), known, locked: false });
    assert.equal(behind.current, false);
    assert.equal(behind.results[0]!.status, 'problem');
    assert.match(behind.results[0]!.fix ?? '', /paywall db migrate/);
    const ahead = judgeMigrations({ applied: [...known, '999-future'], known, locked: false });
    assert.match(ahead.results[0]!.summary, /newer paywall.*999-future/);
    const current = judgeMigrations({ applied: [...known], known, locked: true });
    assert.equal(current.current, true);
    assert.deepEqual(current.results.map((r) => r.status), ['ok', 'warning']);
    assert.match(current.results[1]!.fix ?? '', /--unlock/);
  });

  test('failed jobs are a warning with the fix; none is ok', () => {
    assert.equal(judgeJobs({ queued: 2, running: 0, done: 9, failed: 0 }).status, 'ok');
    const failed = judgeJobs({ queued: 0, running: 0, done: 9, failed: 3 });
    assert.equal(failed.status, 'warning');
    assert.match(failed.summary, /^3 jobs failed/);
  });
});

describe('judgeHeartbeat, judgeLock and judgeSharing', () => {
  test('no heartbeat or a stale one is a warning; a healthy or starting runtime is ok; one that gets no updates is a problem', () => {
    assert.equal(judgeHeartbeat(undefined, NOW, 4)[0]!.status, 'warning');
    assert.match(judgeHeartbeat(undefined, NOW, 4)[0]!.summary, /4 queued jobs wait/);
    const stale = judgeHeartbeat(heartbeat({ updatedAt: ago(60_000) }), NOW, 0)[0]!;
    assert.equal(stale.status, 'warning');
    assert.match(stale.summary, /No bot runtime is running.*pid 4242 on host host-a.*60 s old/);
    assert.equal(judgeHeartbeat(heartbeat(), NOW, 0)[0]!.status, 'ok');
    assert.equal(judgeHeartbeat(heartbeat({ startedAt: ago(10_000), lastPollAt: null }), NOW, 0)[0]!.status, 'ok');
    const stuck = judgeHeartbeat(heartbeat({ lastPollAt: ago(300_000) }), NOW, 0)[0]!;
    assert.equal(stuck.status, 'problem');
    assert.match(stuck.summary, /alive but not receiving updates/);
    const conflicts = judgeHeartbeat(heartbeat({ conflicts: 2 }), NOW, 0);
    assert.deepEqual(conflicts.map((r) => [r.check, r.status]), [['runtime', 'ok'], ['conflicts', 'warning']]);
  });

  test('a lock left by a dead process is a warning; a live holder is named', () => {
    const holder = { pid: 77, host: HOST, startedAt: ago(60_000).toISOString(), lockPath: '/locks/abc.lock' };
    assert.equal(judgeLock(lockFacts(), HOST).status, 'ok');
    assert.equal(judgeLock(lockFacts({ held: true, holder }), HOST, () => false).status, 'warning');
    assert.match(judgeLock(lockFacts({ held: true, holder }), HOST, () => true).summary, /pid 77 on host host-a/);
  });

  test('a settled lock holder whose heartbeat is not in this database uses another database', () => {
    const holder = { pid: 4242, host: HOST, startedAt: ago(120_000).toISOString(), lockPath: '/locks/abc.lock' };
    const alive = () => true;
    const elsewhere = judgeSharing({ host: HOST, now: NOW, lock: lockFacts({ held: true, holder }), heartbeat: undefined, alive });
    assert.equal(elsewhere?.check, 'shared-database');
    assert.equal(elsewhere?.status, 'warning');
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts({ held: true, holder }), heartbeat: heartbeat(), alive }), undefined);
    const young = { ...holder, startedAt: ago(5_000).toISOString() };
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts({ held: true, holder: young }), heartbeat: undefined, alive }), undefined);
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts({ held: true, holder }), heartbeat: undefined, alive: () => false }), undefined);
  });

  test('a runtime on this host that holds no lock here uses another lock directory; one on another host is not judged', () => {
    const alive = () => true;
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts(), heartbeat: heartbeat(), alive })?.check, 'lock-directory');
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts(), heartbeat: heartbeat({ host: 'host-b' }), alive }), undefined);
    assert.equal(judgeSharing({ host: HOST, now: NOW, lock: lockFacts(), heartbeat: heartbeat({ updatedAt: ago(60_000) }), alive }), undefined);
  });
});

describe('the Stars ledger', () => {
  const entry = (id: string, fields: Partial<StarTransactionEntry> = {}): StarTransactionEntry => ({
    id, amount: 50, date: ago(10 * 60_000), direction: 'in', userId: 9, invoicePayload: `payload-${id}`, subscriptionPeriodSeconds: null, isRefund: false, ...fields,
  });

  test('recent unrecorded payments: missed when the order is ours (after the in-flight grace), foreign when it is not', async () => {
    const entries = [
      entry('recorded'),
      entry('missed'),
      entry('in-flight', { date: ago(IN_FLIGHT_MS / 2) }),
      entry('foreign'),
      entry('old-foreign', { date: ago(RECENT_MS + 60_000) }),
      entry('refund', { direction: 'out', isRefund: true }),
      entry('withdrawal', { direction: 'out', userId: null, invoicePayload: null }),
    ];
    const found = await classifyEntries(entries, {
      paymentRecorded: async (id) => id === 'recorded',
      orderExists: async (payload) => !payload.includes('foreign'),
    }, NOW);
    assert.deepEqual(found, { missed: ['missed'], foreign: ['foreign'] });
  });

  test('foreign payments are a warning, missed ones a problem pointing to --repair; none is ok', () => {
    assert.deepEqual(judgeLedger({ scanned: 3, missed: [], foreign: [], truncated: false }).map((r) => r.status), ['ok']);
    const both = judgeLedger({ scanned: 3, missed: ['a'], foreign: ['b', 'c'], truncated: false });
    assert.deepEqual(both.map((r) => [r.check, r.status]), [['shared-database', 'warning'], ['payments', 'problem']]);
    assert.match(both[1]!.fix ?? '', /paywall doctor --repair/);
  });

  test('the repair report names what it recorded and what it could not', () => {
    const report = { scanned: 4, recorded: ['ch1'], refunded: [], skipped: [{ chargeId: 'ch9', reason: 'unknown order' }], more: false, offset: 4 };
    const lines = judgeRepair(report, false);
    assert.match(lines[0]!.summary, /recorded 1 missed payment \(ch1\) and applied 0 refunds; their confirmations are queued/);
    assert.equal(lines[1]!.status, 'warning');
    assert.match(lines[1]!.summary, /ch9 \(unknown order\)/);
  });
});

describe('the report', () => {
  test('one line per check, the fix under each warning and problem; exit 1 only for problems', () => {
    const results: CheckResult[] = [ok('token', 'fine'), warning('jobs', '1 failed', 'look'), problem('webhook', 'elsewhere', 'delete it')];
    const text = formatReport(results);
    assert.match(text, /^ok\s+token\s+fine$/m);
    assert.match(text, /^warning\s+jobs\s+1 failed\n\s+fix: look$/m);
    assert.match(text, /^problem\s+webhook\s+elsewhere\n\s+fix: delete it$/m);
    assert.match(text, /1 problem and 1 warning found/);
    assert.equal(doctorExitCode(results), 1);
    assert.equal(doctorExitCode(results.slice(0, 2)), 0);
    assert.equal(verdict(results.slice(0, 1)), 'All is well.');
    assert.deepEqual(JSON.parse(formatJson(results)), { ok: false, problems: 1, warnings: 1, checks: results });
  });
});

for (const database of await testDatabases()) {
  describe(`runDoctor in-process (${database.kind})`, () => {
    async function setUp(t: TestContext, { migrate = true, env = {} }: { migrate?: boolean; env?: Record<string, string> } = {}) {
      const fake = await createFakeTelegram();
      t.after(() => fake.close());
      const { token, botId } = makeToken();
      fake.addBot({ token, username: `doctor_${botId}_bot` });
      const dir = tempDir(t);
      let url: string;
      let db;
      if (migrate) {
        ({ created: { url }, db } = await openTestDb(t, database));
      } else {
        const created = await database.create();
        t.after(() => created.drop());
        url = created.url;
        db = await createDb(created.database, silentLogger());
        t.after(() => db!.close());
      }
      const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: url, PAYWALL_LOCK_DIR: join(dir, 'locks'), ...env }, cwd: dir });
      const run = async (options = {}) => {
        let out = '';
        const code = await runDoctor(config, silentLogger(), { json: true, ...options }, { stdout: (text) => void (out += text), env: {} });
        const report = JSON.parse(out) as { checks: CheckResult[] };
        return { code, checks: report.checks, find: (check: string) => report.checks.filter((c) => c.check === check) };
      };
      return { fake, token, botId, dir, config, db, run };
    }

    test('a database never migrated: a problem, the dependent checks skipped, and doctor does not migrate it', async (t) => {
      const { db, run } = await setUp(t, { migrate: false });
      const result = await run();
      assert.equal(result.code, 1);
      assert.equal(result.find('schema')[0]?.status, 'problem');
      assert.equal(result.find('chat-rights')[0]?.status, 'skipped');
      assert.equal(await db.knex.schema.hasTable('knex_migrations'), false, 'doctor migrated the database');
    });

    test('a database of another bot: a problem, and doctor writes nothing to it', async (t) => {
      const { db, fake, token, run } = await setUp(t, { env: { PAYWALL_CHAT_ID: '-1001' } });
      await createSettingsStore(db.knex).set(BOT_ID_SETTING, '1');
      fake.addChat(token, { id: -1001, type: 'channel', title: 'News' });
      const result = await run({ repair: true });
      assert.equal(result.code, 1);
      assert.match(result.find('owner')[0]?.summary ?? '', /belongs to bot 1/);
      assert.equal(result.find('repair')[0]?.status, 'skipped');
      assert.equal(result.find('chat-rights')[0]?.status, 'ok', 'the rights are still checked');
      assert.equal((await db.knex('protected_chats')).length, 0);
    });

    test('a bot that holds the lock here but sells from another database: warnings with the fix, exit 0', async (t) => {
      const { fake, token, config, run } = await setUp(t);
      // This test process stands in for a bot on this host that has held the lock for five minutes.
      mkdirSync(config.lockDir, { recursive: true });
      const hash = createHash('sha256').update(token).digest('hex').slice(0, 16);
      const release = await lockfile.lock(join(config.lockDir, hash), { realpath: false, stale: 10_000, update: 2_000, onCompromised: () => undefined });
      t.after(() => release().catch(() => undefined));
      const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
      await writeHolderRecord(join(config.lockDir, `${hash}.holder.json`), { pid: process.pid, host: hostname(), startedAt, lockPath: join(config.lockDir, `${hash}.lock`) });
      const { chargeId } = fake.deliverSuccessfulPayment(token, { user: { id: 777001, first_name: 'Elsewhere' }, payload: 'an-order-of-another-database', amount: 50 });

      const result = await run();
      assert.equal(result.code, 0, JSON.stringify(result.checks));
      const sharing = result.find('shared-database');
      assert.equal(sharing.length, 2);
      assert.match(sharing[0]!.summary, new RegExp(`pid ${process.pid}.*writes no heartbeat to this database`));
      assert.match(sharing[1]!.summary, new RegExp(`orders this database never created \\(${chargeId}\\)`));
      for (const s of sharing) assert.match(s.fix ?? '', /same DATABASE_URL/);
      assert.match(result.find('lock')[0]?.summary ?? '', new RegExp(`held by pid ${process.pid}`));
      assert.equal(fake.calls({ method: 'getUpdates' }).length, 0);
    });
  });
}
