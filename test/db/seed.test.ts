/** `db seed` on both databases: plausible demo data, consistent dashboard stats, the non-empty guard, --force appends, progress lines. */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { dbSeed } from '../../src/cli/commands/seed.js';
import { UsageError } from '../../src/cli/errors.js';
import { loadConfig } from '../../src/config/config.js';
import { createDb, fromDbInt } from '../../src/db/index.js';
import { createReadModels } from '../../src/db/read-models/index.js';
import { silentLogger, testDatabases, type TestDatabase } from '../helpers/databases.js';
import { tempDir } from '../helpers/tmp.js';

async function setUp(t: TestContext, testDb: TestDatabase) {
  const created = await testDb.create();
  t.after(() => created.drop());
  const config = loadConfig({ env: { DATABASE_URL: created.url }, cwd: tempDir(t) });
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (text: string) => void out.push(text), stderr: (text: string) => void err.push(text), isTTY: false };
  const logger = silentLogger();
  const seed = (users: number, force = false) => dbSeed(config, logger, { users: String(users), force }, io);
  const withDb = async <T>(fn: (knex: import('knex').Knex) => Promise<T>): Promise<T> => {
    const db = await createDb(created.database, logger);
    try {
      return await fn(db.knex);
    } finally {
      await db.close();
    }
  };
  return { config, io, out, err, logger, seed, withDb };
}

type Counts = Record<string, number>;

async function counts(knex: import('knex').Knex): Promise<Counts> {
  const n = async (q: import('knex').Knex.QueryBuilder) => fromDbInt(((await q.count({ n: '*' })) as [{ n: unknown }])[0].n);
  return {
    users: await n(knex('users')),
    plans: await n(knex('plans')),
    orders: await n(knex('orders')),
    paidOrders: await n(knex('orders').where({ status: 'paid' })),
    payments: await n(knex('payments')),
    refunded: await n(knex('payments').where({ status: 'refunded' })),
    active: await n(knex('subscriptions').where({ status: 'active' })),
    expired: await n(knex('subscriptions').where({ status: 'expired' })),
    subscriptions: await n(knex('subscriptions')),
    subscriptionChats: await n(knex('subscription_chats')),
    blocked: await n(knex('users').where({ blocked: true })),
    spanish: await n(knex('users').where({ language_code: 'es' })),
    payers: fromDbInt(((await knex('payments').countDistinct({ n: 'user_id' })) as [{ n: unknown }])[0].n),
  };
}

for (const testDb of await testDatabases()) {
  describe(`db seed (${testDb.kind})`, () => {
    test('2,000 users: plausible counts, consistent dashboard stats, progress lines, stdout empty', async (t) => {
      const { seed, withDb, out, err } = await setUp(t, testDb);
      assert.equal(await seed(2000), 0);
      assert.deepEqual(out, []);
      const c = await withDb(counts);
      assert.equal(c.users, 2000);
      assert.ok(c.plans >= 2 && c.plans <= 4, `plans ${c.plans}`);
      // About two per user: 70% pay, about three times each.
      assert.ok(c.payments >= 3200 && c.payments <= 4800, `payments ${c.payments}`);
      assert.ok(c.payers >= 1200 && c.payers <= 1600, `payers ${c.payers}`);
      assert.ok(c.active > 100 && c.expired > 100, `active ${c.active}, expired ${c.expired}`);
      assert.ok(c.refunded > 10 && c.refunded < c.payments * 0.08, `refunded ${c.refunded}`);
      assert.ok(c.blocked > 0 && c.blocked < 200, `blocked ${c.blocked}`);
      assert.ok(c.spanish > 100, `es ${c.spanish}`);
      assert.equal(c.paidOrders, c.orders);
      assert.ok(c.subscriptionChats >= c.subscriptions);

      const stats = await withDb((knex) => createReadModels(knex).stats(new Date()));
      const money = await withDb(async (knex) => {
        const rows = (await knex('payments').where({ status: 'paid' }).sum({ s: 'amount' })) as [{ s: unknown }];
        const live = (await knex('subscriptions').where({ status: 'active' }).andWhere((w) => void w.whereNull('expires_at').orWhere('expires_at', '>', Date.now())).countDistinct({ n: 'user_id' })) as [{ n: unknown }];
        return { revenue: fromDbInt(rows[0].s), live: fromDbInt(live[0].n) };
      });
      assert.equal(stats.users, 2000);
      assert.equal(stats.payments + stats.refunds, c.payments);
      assert.equal(stats.refunds, c.refunded);
      assert.equal(stats.revenueStars, money.revenue);
      assert.ok(stats.revenue30d > 0 && stats.revenue30d <= stats.revenueStars);
      assert.ok(stats.revenueToday <= stats.revenue30d);
      assert.ok(stats.activeSubscribers > 0 && stats.activeSubscribers <= c.active);
      assert.equal(stats.activeSubscribers, money.live);

      const lines = err.join('').trim().split('\n');
      const progress = lines.filter((l) => /^seeded \d+\/2000 users \(\d+%\), \d+ rows\/s$/.test(l));
      assert.ok(progress.length >= 10 && progress.length <= 21, lines.join('\n'));
      assert.match(progress[progress.length - 1]!, /^seeded 2000\/2000 users \(100%\)/);
      assert.match(lines[lines.length - 1]!, /^seeded 2000 users, 4 plans, .* payments \(\d+ refunded\): \d+ rows in [\d.]+ s, \d+ rows\/s$/);
    });

    test('a database with data is refused without --force; --force appends and deletes nothing', async (t) => {
      const { seed, withDb } = await setUp(t, testDb);
      await seed(300);
      const before = await withDb(counts);
      const firstIds = await withDb(async (knex) => (await knex('users').orderBy('id').pluck('id')).map(fromDbInt));
      await assert.rejects(seed(300), (e: unknown) => {
        assert.ok(e instanceof UsageError, String(e));
        assert.equal(e.code, 2);
        assert.match(e.message, /already has data \(300 users, 4 plans/);
        assert.match(e.hint ?? '', /--force/);
        return true;
      });
      assert.deepEqual(await withDb(counts), before);
      assert.equal(await seed(300, true), 0);
      const after = await withDb(counts);
      assert.equal(after.users, 600);
      assert.equal(after.plans, before.plans, 'the existing plans are reused');
      assert.ok(after.payments > before.payments && after.orders > before.orders && after.subscriptions > before.subscriptions);
      const ids = await withDb(async (knex) => (await knex('users').orderBy('id').pluck('id')).map(fromDbInt));
      assert.deepEqual(ids.slice(0, 300), firstIds, 'the first users are untouched');
      assert.ok(ids[300]! > firstIds[299]!);
      // Ids handed out by the database after a seed do not collide with seeded ones (PostgreSQL sequences).
      await withDb(async (knex) => {
        const [order] = await knex('orders').insert({ payload: 'after-seed', user_id: ids[0], plan_id: 1, amount: 1, status: 'pending', created_at: Date.now() }).returning('id');
        assert.ok(fromDbInt(typeof order === 'object' ? (order as { id: unknown }).id : order) > before.orders);
      });
    });

    test('rejects a bad --users before touching the database', async (t) => {
      const { config, logger, io } = await setUp(t, testDb);
      for (const users of ['0', '-5', 'ten', '1.5', '10000001', '']) {
        await assert.rejects(dbSeed(config, logger, { users }, io), (e: unknown) => e instanceof UsageError && e.code === 2 && /--users/.test(e.message));
      }
    });
  });
}
