/** The `plans` and `db migrate` command functions, output captured through io.stdout. */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { UsageError } from '../../src/cli/errors.js';
import { dbMigrate } from '../../src/cli/commands/db.js';
import { formatPlansTable, plansAdd, plansDisable, plansEdit, plansEnable, plansList } from '../../src/cli/commands/plans.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { silentLogger, testDatabases, type TestDatabase } from '../helpers/databases.js';
import { tempDir } from '../helpers/tmp.js';

const CHAT = '-1001234567890';

async function setUp(t: TestContext, testDb: TestDatabase, env: Record<string, string> = {}) {
  const created = await testDb.create();
  t.after(() => created.drop());
  const config: Config = loadConfig({ env: { DATABASE_URL: created.url, ...env }, cwd: tempDir(t) });
  const out: string[] = [];
  const io = { stdout: (text: string) => void out.push(text) };
  const logger = silentLogger();
  return { config, io, out, logger, take: () => out.splice(0).join('') };
}

function usageError(pattern: RegExp, hint?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof UsageError, String(err));
    assert.equal(err.code, 2);
    assert.match(err.message, pattern);
    if (hint) assert.match(err.hint ?? '', hint);
    return true;
  };
}

for (const testDb of await testDatabases()) {
  describe(`plans commands (${testDb.kind})`, () => {
    test('add prints the id alone; list prints a table or {"items":[…]}', async (t) => {
      const { config, io, logger, take } = await setUp(t, testDb);
      assert.equal(await plansList(config, logger, { json: true }, io), 0);
      assert.deepEqual(JSON.parse(take()), { items: [] });
      await plansList(config, logger, {}, io);
      assert.match(take(), /No plans yet/);

      await plansAdd(config, logger, { title: 'Monthly VIP', price: '250', duration: '30d', chat: [CHAT], recurring: true }, io);
      assert.equal(take(), '1\n');
      await plansAdd(config, logger, { title: 'Lifetime', price: '5000', duration: 'lifetime', description: 'Forever', chat: [CHAT, '-1009876543210'] }, io);
      assert.equal(take(), '2\n');

      await plansList(config, logger, { json: true }, io);
      assert.deepEqual(JSON.parse(take()), {
        items: [
          { id: 1, title: 'Monthly VIP', description: '', price: 250, duration: '30d', chatIds: [-1001234567890], active: true, recurring: true },
          { id: 2, title: 'Lifetime', description: 'Forever', price: 5000, duration: 'lifetime', chatIds: [-1001234567890, -1009876543210], active: true, recurring: false },
        ],
      });

      await plansList(config, logger, {}, io);
      const table = take().trimEnd().split('\n');
      assert.equal(table.length, 3);
      assert.match(table[0]!, /^ID\s+TITLE\s+PRICE\s+DURATION\s+RECURRING\s+ACTIVE\s+CHATS$/);
      assert.match(table[1]!, /^1\s+Monthly VIP\s+250 ★\s+30d\s+yes\s+yes\s+-1001234567890$/);
      assert.match(table[2]!, /^2\s+Lifetime\s+5000 ★\s+lifetime\s+no\s+yes\s+-1001234567890,-1009876543210$/);
      assert.equal(table[1]!.indexOf('250'), table[2]!.indexOf('5000'), 'columns are aligned');
    });

    test('edit changes only the given fields; --chat replaces the list; disable and enable', async (t) => {
      const { config, io, logger, take } = await setUp(t, testDb);
      await plansAdd(config, logger, { title: 'Weekly', price: '50', duration: '7d', chat: [CHAT, '-1002'] }, io);
      take();
      await plansEdit(config, logger, '1', { price: '60', chat: ['-1003'] }, io);
      await plansDisable(config, logger, '1', io);
      await plansList(config, logger, { json: true }, io);
      assert.deepEqual(JSON.parse(take()).items[0], { id: 1, title: 'Weekly', description: '', price: 60, duration: '7d', chatIds: [-1003], active: false, recurring: false });
      await plansEnable(config, logger, '1', io);
      await plansList(config, logger, { json: true }, io);
      assert.equal(JSON.parse(take()).items[0].active, true);
      assert.equal(take(), '', 'edit, disable and enable print nothing');
    });

    test('unknown ids and bad ids are usage errors', async (t) => {
      const { config, io, logger } = await setUp(t, testDb);
      await assert.rejects(plansEdit(config, logger, '42', { price: '5' }, io), usageError(/no plan 42/, /plans list/));
      await assert.rejects(plansDisable(config, logger, '42', io), usageError(/no plan 42/));
      await assert.rejects(plansEnable(config, logger, 'abc', io), usageError(/positive whole number.*"abc"/));
    });

    test('rule and flag errors are usage errors saying what and how', async (t) => {
      const { config, io, logger, out } = await setUp(t, testDb);
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: 'abc', duration: '30d', chat: [CHAT] }, io), usageError(/--price must be a whole number.*"abc"/, /--price 250/));
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: '0', duration: '30d', chat: [CHAT] }, io), usageError(/from 1 to 100000/));
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: '5', duration: '7d', chat: [CHAT], recurring: true }, io), usageError(/exactly 30d/, /--duration 30d/));
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: '5', duration: '2w', chat: [CHAT] }, io), usageError(/duration/, /--duration/));
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: '5', duration: '1d', chat: ['chan'] }, io), usageError(/--chat must be a numeric chat id/));
      await assert.rejects(plansAdd(config, logger, { title: 'T', price: '5', duration: '1d' }, io), usageError(/--chat.*PAYWALL_CHAT_ID/, /PAYWALL_CHAT_ID/));
      assert.deepEqual(out, [], 'nothing on stdout for a refused command');
    });

    test('PAYWALL_CHAT_ID is the chat of a plan that names none', async (t) => {
      const { config, io, logger, take } = await setUp(t, testDb, { PAYWALL_CHAT_ID: CHAT });
      await plansAdd(config, logger, { title: 'Default chat', price: '10', duration: '1d' }, io);
      take();
      await plansList(config, logger, { json: true }, io);
      assert.deepEqual(JSON.parse(take()).items[0].chatIds, [-1001234567890]);
    });

    test('db migrate, then the database belongs to the token\'s bot', async (t) => {
      const { config, logger } = await setUp(t, testDb, { TELEGRAM_BOT_TOKEN: '111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal(await dbMigrate(config, logger), 0);
      assert.equal(await dbMigrate(config, logger), 0);
      const other = loadConfig({ env: { DATABASE_URL: config.database.kind === 'sqlite' ? `sqlite:${config.database.filename}` : config.database.url, TELEGRAM_BOT_TOKEN: '222222:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }, cwd: config.cwd });
      await assert.rejects(plansList(other, logger, {}, { stdout: () => undefined }), usageError(/belongs to bot 111111.*bot 222222/));
    });
  });
}

describe('formatPlansTable', () => {
  test('long titles are shortened so the table stays readable', () => {
    const text = formatPlansTable([{ id: 7, title: 'x'.repeat(100), description: '', price: 1, duration: '1d', chatIds: [1], active: true, recurring: false }]);
    assert.match(text, /x{39}…/);
  });
});
