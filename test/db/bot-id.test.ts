/** ensureBotId: a database belongs to the first bot that uses it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/cli/errors.js';
import { BOT_ID_SETTING, createSettingsStore, ensureBotId } from '../../src/db/index.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

for (const testDb of await testDatabases()) {
  describe(`ensureBotId (${testDb.kind})`, () => {
    test('records the first bot id and accepts it again', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await ensureBotId(db, 123456789);
      await ensureBotId(db, 123456789);
      assert.equal(await createSettingsStore(db.knex).get(BOT_ID_SETTING), '123456789');
    });

    test('refuses another bot with a UsageError naming both ids and the fix', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await ensureBotId(db, 111);
      await assert.rejects(ensureBotId(db, 222), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.equal(err.code, 2);
        assert.equal(err.message, 'This database belongs to bot 111, but TELEGRAM_BOT_TOKEN is for bot 222.');
        assert.equal(err.hint, 'Use the token of bot 111, or point DATABASE_URL at another database.');
        return true;
      });
    });

    test('two processes recording at once agree on one owner', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const results = await Promise.allSettled([ensureBotId(db, 1), ensureBotId(db, 2)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });
  });
}
