/** The heartbeat store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHeartbeatStore, readHeartbeat, writeHeartbeat } from '../../src/db/index.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

for (const testDb of await testDatabases()) {
  describe(`heartbeat store (${testDb.kind})`, () => {
    test('nothing before the first beat; upserts by bot id; reads back the same instants', async (t) => {
      const { db } = await openTestDb(t, testDb);
      let now = new Date('2025-01-02T03:04:05.678Z');
      const store = createHeartbeatStore(db.knex, { now: () => now });
      assert.equal(await store.read(), undefined);
      const startedAt = new Date('2025-01-02T03:00:00.001Z');
      await store.write({ botId: 8_000_000_001, pid: 42, host: 'box', mode: 'polling', startedAt, lastPollAt: null, conflicts: 0 });
      assert.deepEqual(await store.read(8_000_000_001), {
        botId: 8_000_000_001, pid: 42, host: 'box', mode: 'polling', startedAt, lastPollAt: null, lastWebhookErrorAt: null, conflicts: 0, updatedAt: now,
      });
      now = new Date('2025-01-02T03:04:10.999Z');
      const lastPollAt = new Date('2025-01-02T03:04:10.500Z');
      await store.write({ botId: 8_000_000_001, pid: 42, host: 'box', mode: 'polling', startedAt, lastPollAt, conflicts: 2 });
      const read = await store.read();
      assert.equal(read?.conflicts, 2);
      assert.equal(read?.lastPollAt?.getTime(), lastPollAt.getTime());
      assert.equal(read?.updatedAt.getTime(), now.getTime());
      assert.equal((await db.knex('bot_heartbeat').select('bot_id')).length, 1);
    });

    test('writeHeartbeat and readHeartbeat shortcuts', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const startedAt = new Date();
      await writeHeartbeat(db, 77, { pid: 1, host: 'h', mode: 'webhook', startedAt, lastPollAt: null, conflicts: 0 });
      const hb = await readHeartbeat(db, 77);
      assert.equal(hb?.mode, 'webhook');
      assert.equal(hb?.startedAt.getTime(), startedAt.getTime());
      assert.equal(await readHeartbeat(db, 78), undefined);
    });
  });
}
