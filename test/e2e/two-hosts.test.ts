/**
 * Two hosts, one PostgreSQL database (SPEC 5 item 2): two `paywall bot`
 * processes with different lock directories stand for two hosts whose
 * instance locks cannot see each other. The database lease lets exactly one
 * consume updates; without --wait the second exits 3 naming the holder; with
 * --wait it takes over within 5 s of the holder's SIGKILL, and no update is
 * handled twice across the takeover.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import knex from 'knex';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const POLLING = /"msg":"Polling for updates"/;

function answers(h: Harness, userId: number): number {
  return h.fake.sentMessages(userId).length;
}

const postgres = (await testDatabases()).find((d) => d.kind === 'postgres');

describe('two hosts on one PostgreSQL database', { skip: postgres ? false : 'PostgreSQL is not reachable (set PAYWALL_TEST_PG_URL)' }, () => {
  test('exactly one consumes; a second without --wait exits 3; with --wait it takes over within 5 s of a SIGKILL; nothing is handled twice', async (t) => {
    const h = await createHarness(t, postgres!);
    const hostA = { PAYWALL_LOCK_DIR: join(h.dir, 'host-a-locks') };
    const hostB = { PAYWALL_LOCK_DIR: join(h.dir, 'host-b-locks') };

    const first = h.spawn(['bot', '--wait'], { env: hostA });
    await first.waitForOutput(POLLING, 20_000);

    const refused = await h.run(['bot'], { env: hostB }, 20_000);
    assert.equal(refused.code, 3, refused.stderr.slice(-1_000));
    assert.match(refused.stderr, /lease/i, 'the refusal names the database lease');
    assert.match(refused.stderr, new RegExp(`pid ${first.pid}(?!\\d)`), 'and its holder');

    const second = h.spawn(['bot', '--wait'], { env: hostB });
    await second.waitForOutput(/lease/i, 20_000);

    let userId = 900_000;
    const sent: number[] = [];
    const updateIds: number[] = [];
    const send = (count: number) => {
      for (let i = 0; i < count; i++) {
        userId += 1;
        sent.push(userId);
        updateIds.push(h.fake.userSends(h.token, { user: { id: userId, first_name: `Two ${userId}` }, text: '/start' }));
      }
    };
    const db = knex({ client: 'pg', connection: h.dbUrl, pool: { min: 0, max: 1 } });
    t.after(() => db.destroy());
    // Handled to the end: recorded as handled (an update cut off between its answer and that record is handled again).
    const recorded = async () => Number((await db('processed_updates').whereIn('update_id', updateIds).count({ n: '*' }))[0]!.n) === updateIds.length;
    send(20);
    await waitUntil(() => sent.every((id) => answers(h, id) >= 1), 15_000, 'the holder answers every /start');
    assert.doesNotMatch(second.stderr(), POLLING, 'the waiting bot never polled');

    // Killed between batches: what it handled stays handled, what comes next waits for the next holder.
    send(10);
    await waitUntil(() => sent.every((id) => answers(h, id) >= 1), 15_000, 'the holder answers the next ten');
    await waitUntil(recorded, 15_000, 'the holder records them as handled');
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await first.waitForExit(10_000);
    await second.waitForOutput(POLLING, 10_000);
    const takeoverMs = Date.now() - killedAt;
    t.diagnostic(`takeover after SIGKILL: ${takeoverMs} ms`);
    // From the SIGKILL of the holder to the waiting bot's "Polling for updates".
    assert.ok(takeoverMs <= 5_000, `took over in ${takeoverMs} ms`);
    send(10);
    await waitUntil(() => sent.every((id) => answers(h, id) >= 1), 15_000, 'every /start is answered across the takeover');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const twice = sent.filter((id) => answers(h, id) > 1);
    assert.deepEqual(twice, [], 'no update was handled twice');
    const conflicts = h.fake.calls({ method: 'getUpdates' }).filter((c) => c.status === 409);
    assert.equal(conflicts.length, 0, 'the two never polled at once');

    second.kill('SIGTERM');
    assert.equal((await second.waitForExit(15_000)).code, 0);
    h.assertNoTokenLeak();
  });

  test('a lost lease (its session terminated) stops polling at once; the lease is won back and polling resumes', async (t) => {
    const h = await createHarness(t, postgres!);
    const bot = h.spawn(['bot']);
    await bot.waitForOutput(POLLING, 20_000);
    const admin = knex({ client: 'pg', connection: h.dbUrl, pool: { min: 0, max: 1 } });
    t.after(() => admin.destroy());
    const killed = await admin.raw("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name like 'paywall-lease %' and datname = current_database()");
    assert.equal(killed.rows.length, 1, 'the bot holds one lease session');
    await bot.waitForOutput(/Stopped consuming updates/, 10_000);
    // Won back by the bot's own retry (every half second) on a new connection.
    await bot.waitForOutput(/Won the database lease back/, 15_000);
    await waitUntil(() => (bot.stderr().match(/"msg":"Polling for updates"/g) ?? []).length >= 2, 10_000, 'polling again');
    h.fake.userSends(h.token, { user: { id: 990_001, first_name: 'After the loss' }, text: '/start' });
    await waitUntil(() => answers(h, 990_001) === 1, 10_000, '/start answered after the lease came back');
    assert.equal(bot.exited, false, 'the bot kept running');
    bot.kill('SIGTERM');
    assert.equal((await bot.waitForExit(15_000)).code, 0);
  });
});
