/** The audit log on both databases: newest first, filtered by action, paged, details parsed or null. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { at, SECOND } from '../../helpers/store-fixture.js';
import { openReads } from './fixture.js';

for (const testDb of await testDatabases()) {
  describe(`audit read model (${testDb.kind})`, () => {
    test('newest first by time (not by id), action filter, paging, details', async (t) => {
      const { db, store, reads } = await openReads(t, testDb);
      await store.audit.record({ actor: 'admin', action: 'grant', target: 'user:5', details: { duration: '7d', planId: null } }, at(30 * SECOND));
      await store.audit.record({ actor: 'admin', action: 'revoke', target: 'user:5' }, at(10 * SECOND));
      await store.audit.record({ actor: 'bot:1', action: 'grant', target: 'user:6', details: { duration: 'lifetime' } }, at(20 * SECOND));
      await db.knex('audit_log').insert([
        { actor: 'admin', action: 'login', target: null, details: 'not json {', created_at: at(40 * SECOND).getTime() },
        { actor: 'admin', action: 'settings', target: null, details: '[1,2]', created_at: at(40 * SECOND).getTime() },
      ]);

      const all = await reads.audit({ offset: 0, limit: 50 });
      assert.equal(all.total, 5);
      assert.deepEqual(all.items.map((e) => e.action), ['settings', 'login', 'grant', 'grant', 'revoke'], 'newest first; the same instant by id, latest first');
      assert.deepEqual(all.items.map((e) => e.details), [null, null, { duration: '7d', planId: null }, { duration: 'lifetime' }, null]);
      assert.deepEqual(all.items[2], { id: all.items[2]!.id, actor: 'admin', action: 'grant', target: 'user:5', details: { duration: '7d', planId: null }, createdAt: at(30 * SECOND) });
      assert.equal(all.items[0]?.target, null);

      const grants = await reads.audit({ offset: 0, limit: 50, action: 'grant' });
      assert.deepEqual([grants.total, grants.items.map((e) => e.target)], [2, ['user:5', 'user:6']]);
      const page = await reads.audit({ offset: 1, limit: 2 });
      assert.deepEqual([page.total, page.items.map((e) => e.action)], [5, ['login', 'grant']]);
      assert.deepEqual(await reads.audit({ offset: 0, limit: 10, action: 'refund' }), { items: [], total: 0 });
    });
  });
}
