import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDataVersion } from '../../../src/db/read-models/data-version.js';
import { grantAccess, revokeAccess, type PaywallDeps } from '../../../src/paywall/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { at, DAY, openTestStore, seedUser } from '../../helpers/store-fixture.js';

for (const database of await testDatabases()) {
  describe(`data version (${database.kind})`, () => {
    test('changes with a new user, a payment, a refund and any subscription change; not with a returning user or other tables', async (t) => {
      const { db, store } = await openTestStore(t, database);
      let now = at(0);
      const deps: PaywallDeps = { store, clock: { now: () => now }, defaultChatId: -1001, adminUserIds: [] };
      const versions: string[] = [await readDataVersion(db.knex)];
      const changed = async (what: string) => {
        const next = await readDataVersion(db.knex);
        assert.notEqual(next, versions.at(-1), `${what} changes the version`);
        versions.push(next);
      };
      assert.equal(await readDataVersion(db.knex), versions[0], 'reading twice: the same version');

      await seedUser(store, 42, at(1_000));
      await changed('a new user');
      await seedUser(store, 42, at(2_000));
      assert.equal(await readDataVersion(db.knex), versions.at(-1), 'a returning user does not change it');
      now = at(3_000);
      await grantAccess(deps, { userId: 42, duration: '7d', actor: 'test' });
      await changed('a grant');
      await db.knex('payments').insert({ charge_id: 'c1', user_id: 42, amount: 50, currency: 'XTR', status: 'paid', source: 'update', created_at: at(4_000).getTime() });
      await changed('a payment');
      await db.knex('payments').where({ charge_id: 'c1' }).update({ status: 'refunded', refunded_at: at(5_000).getTime() });
      await changed('a refund');
      now = at(DAY);
      await revokeAccess(deps, { userId: 42, actor: 'test' });
      await changed('a revocation');
      await db.knex('plans').insert({ title: 'Unrelated', description: '', price: 1, duration: '1d', duration_seconds: 86_400, recurring: false, active: true, created_at: 0, updated_at: 0 }).catch(() => undefined);
      assert.equal(await readDataVersion(db.knex), versions.at(-1), 'other tables do not change it');
    });
  });
}
