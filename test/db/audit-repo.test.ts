/** The audit repository on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { openTestStore, T0 } from '../helpers/store-fixture.js';

for (const testDb of await testDatabases()) {
  describe(`audit repo (${testDb.kind})`, () => {
    test('record writes who did what to whom, with details as JSON', async (t) => {
      const { db, store } = await openTestStore(t, testDb);
      await store.audit.record({ actor: 'admin', action: 'grant', target: 'user:42', details: { duration: '7d' } }, T0);
      await store.audit.record({ actor: 'bot:1', action: 'revoke', target: null }, T0);
      const rows = await db.knex('audit_log').orderBy('id');
      assert.deepEqual(rows.map((r) => [r.actor, r.action, r.target, r.details === null ? null : JSON.parse(r.details), Number(r.created_at)]), [
        ['admin', 'grant', 'user:42', { duration: '7d' }, T0.getTime()],
        ['bot:1', 'revoke', null, null, T0.getTime()],
      ]);
    });
  });
}
