/**
 * Concurrent writers on one SQLite file (issue 5, item 6): the dashboard
 * grants and revokes access through its API in parallel while the bot records
 * Stars payments, runs the grants' and revokes' jobs and writes its heartbeat,
 * all on one file.
 * No write may fail with SQLITE_BUSY or SQLITE_LOCKED, none may answer 500.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import type { FakeUser, RecordedCall } from '../fake-telegram/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';

const CHAT = -1001234567088;
const GRANTS = 240;
const GRANT_WORKERS = 6;
const REVOKE_EVERY = 3;
const REVOKES = Math.ceil(GRANTS / REVOKE_EVERY);
const PAYMENTS = 60;
const PAY_WORKERS = 6;
const BUSY = /SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked/i;

const chatOf = (call: RecordedCall) => Number(call.params.chat_id);
const users = (count: number, firstId: number, name: string): FakeUser[] =>
  Array.from({ length: count }, (_, i) => ({ id: firstId + i, first_name: `${name}${i}` }));

/** Runs `work` over `items` with `workers` in parallel. */
async function inParallel<T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!);
  }));
}

async function tableCount(h: Harness, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    const [row] = (await db.knex(table).where(where).count({ n: '*' })) as { n: number | string }[];
    return Number(row!.n);
  } finally {
    await db.close();
  }
}

/** Every grantee is granted; every REVOKE_EVERY-th is revoked again (a transaction that reads before it writes). */
async function grantAll(stack: Stack, grantees: FakeUser[], planId: number, failures: string[]): Promise<void> {
  await inParallel(grantees, GRANT_WORKERS, async (user) => {
    const granted = await stack.api('POST', `/api/users/${user.id}/grant`, { duration: '7d', planId });
    if (granted.status !== 200) failures.push(`grant ${user.id}: ${granted.status} ${JSON.stringify(granted.body)}`);
    if ((user.id - grantees[0]!.id) % REVOKE_EVERY !== 0) return;
    const revoked = await stack.api('POST', `/api/users/${user.id}/revoke`);
    if (revoked.status !== 200) failures.push(`revoke ${user.id}: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  });
}

async function payAll(h: Harness, payers: FakeUser[], planId: number, failures: string[]): Promise<void> {
  await inParallel(payers, PAY_WORKERS, async (user) => {
    h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
    await h.fake.waitForCall((c) => c.method === 'sendInvoice' && chatOf(c) === user.id && c.status === 200, 30_000);
    const payload = h.fake.invoices(h.token).findLast((inv) => inv.chatId === user.id)!.payload;
    const paid = await h.fake.pay(h.token, { user, invoice: { payload }, answerTimeoutMs: 20_000 });
    if (paid.outcome !== 'paid') failures.push(`payment of ${user.id}: ${paid.outcome} ${paid.errorMessage ?? ''}`);
  });
}

const sqlite = (await testDatabases()).find((d) => d.kind === 'sqlite')!;

describe('concurrent writers on one SQLite file', () => {
  test(`${GRANTS} API grants (${REVOKES} revoked again) and ${PAYMENTS} bot payments at once: all succeed, no SQLITE_BUSY`, async (t) => {
    const h = await createHarness(t, sqlite);
    h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'Busy Lounge' });
    const added = await h.run(['plans', 'add', '--title', 'Busy', '--price', '5', '--duration', '30d', '--chat', String(CHAT)]);
    assert.equal(added.code, 0, added.stderr);
    const planId = Number(added.stdout.trim());
    const stack = await startStack(h);

    const failures: string[] = [];
    const grantees = users(GRANTS, 930_000, 'Granted');
    const payers = users(PAYMENTS, 940_000, 'Payer');
    const started = Date.now();
    await Promise.all([grantAll(stack, grantees, planId, failures), payAll(h, payers, planId, failures)]);
    const elapsed = Date.now() - started;
    assert.deepEqual(failures, [], 'every grant answered 200 and every payment was accepted');

    // From the last payment: its successful_payment update is still being handled.
    await waitUntil(async () => (await tableCount(h, 'payments')) === PAYMENTS, 20_000, `all ${PAYMENTS} payments recorded`);
    // From the last grant: the bot works through the grants' invite jobs.
    await waitUntil(async () => (await tableCount(h, 'jobs', { status: 'queued' })) + (await tableCount(h, 'jobs', { status: 'running' })) === 0, 40_000, 'every job run');
    assert.equal(await tableCount(h, 'subscriptions', { status: 'active' }), GRANTS - REVOKES + PAYMENTS);
    assert.equal(await tableCount(h, 'subscriptions', { status: 'revoked' }), REVOKES);
    assert.equal(await tableCount(h, 'jobs', { status: 'failed' }), 0, 'no job failed');

    for (const proc of [stack.bot, stack.dashboard]) {
      assert.ok(!proc.exited, `${proc.args[0]} is still running`);
      const busy = proc.stderr().split('\n').filter((line) => BUSY.test(line));
      assert.deepEqual(busy.slice(0, 5), [], `${proc.args[0]} logged no busy-database error`);
    }
    t.diagnostic(`${GRANTS} grants and ${REVOKES} revokes (${GRANT_WORKERS} at a time) and ${PAYMENTS} payments (${PAY_WORKERS} at a time) in ${elapsed} ms`);
    h.assertNoTokenLeak();
  });
});
