/** `/api/users`: list with search, status filters and pages; one user; grant and revoke — on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../../helpers/databases.js';
import { DEFAULT_CHAT, seedPayment, seedUser, startApi } from '../../api/api-fixture.js';

const DAY = 86_400_000;

for (const database of await testDatabases()) {
  describe(`/api/users (${database.kind})`, () => {
    test('grant to an unseen user creates them with an active subscription; revoke ends it', async (t) => {
      const api = await startApi(t, database);
      const granted = await api.request('POST', '/api/users/777/grant', { body: { duration: '7d' } });
      assert.equal(granted.status, 200, granted.text);
      assert.equal(granted.body.id, 777);
      assert.equal(granted.body.username, null);
      assert.equal(granted.body.lastSeenAt, null);
      assert.equal(granted.body.subscriptions.length, 1);
      const [sub] = granted.body.subscriptions;
      assert.equal(sub.status, 'active');
      assert.deepEqual(sub.chatIds, [DEFAULT_CHAT]);
      assert.equal(sub.expiresAt, new Date(api.now().getTime() + 7 * DAY).toISOString());
      assert.deepEqual(granted.body.payments, []);

      const again = await api.request('POST', '/api/users/777/grant', { body: { duration: '1d', planId: null } });
      assert.equal(again.body.subscriptions[0].expiresAt, new Date(api.now().getTime() + 8 * DAY).toISOString(), 'a second grant extends');

      const revoked = await api.request('POST', '/api/users/777/revoke');
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal(revoked.body.subscriptions[0].status, 'revoked');
      assert.equal((await api.request('GET', '/api/users/777')).body.subscriptions[0].status, 'revoked');
    });

    test('grant and revoke errors: unknown plan or user 404, bad duration 400, bad id 400', async (t) => {
      const api = await startApi(t, database);
      const noPlan = await api.request('POST', '/api/users/5/grant', { body: { duration: '7d', planId: 999 } });
      assert.equal(noPlan.status, 404);
      assert.match(noPlan.body.error, /no plan 999/);
      const badDuration = await api.request('POST', '/api/users/5/grant', { body: { duration: '7w' } });
      assert.equal(badDuration.status, 400);
      assert.match(badDuration.body.error, /7w/);
      assert.equal((await api.request('POST', '/api/users/5/grant', { body: {} })).status, 400);
      assert.equal((await api.request('POST', '/api/users/abc/grant', { body: { duration: '7d' } })).status, 400);
      assert.equal((await api.request('POST', '/api/users/5/revoke')).status, 404);
      assert.equal((await api.request('GET', '/api/users/5')).status, 404);
      assert.equal((await api.request('GET', '/api/users/-5')).status, 400);
    });

    test('search by id, username, first, last or full name; wildcards are literal', async (t) => {
      const api = await startApi(t, database);
      await seedUser(api.store, 101, { username: 'ann_b', firstName: 'Ann', lastName: 'Smith, Jr.' });
      await seedUser(api.store, 102, { username: 'bobby', firstName: 'Bob', lastName: 'Stone' });
      await seedUser(api.store, 103, { firstName: '100% Carl' });
      const ids = async (query: string) => ((await api.request('GET', `/api/users?${query}`)).body.items as { id: number }[]).map((u) => u.id);
      assert.deepEqual(await ids('q=ANN'), [101]);
      assert.deepEqual(await ids('q=%40bob'), [102]);
      assert.deepEqual(await ids(`q=${encodeURIComponent('ann smith')}`), [101]);
      assert.deepEqual(await ids('q=stone'), [102]);
      assert.deepEqual(await ids('q=102'), [102]);
      assert.deepEqual(await ids('q=%25'), [103], 'a % in q is a literal percent sign');
      assert.deepEqual(await ids('q=_'), [101], 'an _ in q is a literal underscore');
      assert.deepEqual(await ids('q=nobody'), []);
      assert.deepEqual(await ids('q='), [101, 102, 103]);
    });

    test('status filters: active, expired (lapsed or revoked), never_paid, blocked', async (t) => {
      const api = await startApi(t, database);
      await seedUser(api.store, 1, { firstName: 'Active' });
      await seedUser(api.store, 2, { firstName: 'Lapsing' });
      await seedUser(api.store, 3, { firstName: 'Payer' });
      await seedUser(api.store, 4, { firstName: 'Blocked' });
      await api.store.users.setBlocked(4, true, api.now());
      await api.request('POST', '/api/users/1/grant', { body: { duration: '30d' } });
      await api.request('POST', '/api/users/2/grant', { body: { duration: '1d' } });
      await seedPayment(api.store, 'charge-3', 3, 100, api.now());
      const ids = async (status: string) => ((await api.request('GET', `/api/users?status=${status}`)).body.items as { id: number }[]).map((u) => u.id);
      assert.deepEqual(await ids('active'), [1, 2]);
      assert.deepEqual(await ids('expired'), []);
      assert.deepEqual(await ids('never_paid'), [1, 2, 4]);
      assert.deepEqual(await ids('blocked'), [4]);
      api.setNow(new Date(api.now().getTime() + 2 * DAY));
      assert.deepEqual(await ids('active'), [1]);
      assert.deepEqual(await ids('expired'), [2]);
      const lapsed = await api.request('GET', '/api/users/2');
      assert.equal(lapsed.body.subscriptions[0].status, 'expired', 'an active subscription past its expiry shows expired');
      assert.equal((await api.request('GET', '/api/users?status=gone')).status, 400);
    });

    test('pages: page from 1, limit default 50, bounds are 400s, payments and subscriptions per user', async (t) => {
      const api = await startApi(t, database);
      for (let id = 1; id <= 5; id++) await seedUser(api.store, id, { firstName: `U${id}` });
      await seedPayment(api.store, 'c-2a', 2, 10, new Date('2026-02-02T00:00:00Z'));
      await seedPayment(api.store, 'c-2b', 2, 20, new Date('2026-02-03T00:00:00Z'));
      const all = await api.request('GET', '/api/users');
      assert.equal(all.status, 200);
      assert.deepEqual({ page: all.body.page, limit: all.body.limit, total: all.body.total }, { page: 1, limit: 50, total: 5 });
      const second = await api.request('GET', '/api/users?limit=2&page=2');
      assert.deepEqual(second.body.items.map((u: { id: number }) => u.id), [3, 4]);
      assert.deepEqual({ page: second.body.page, limit: second.body.limit, total: second.body.total }, { page: 2, limit: 2, total: 5 });
      const one = await api.request('GET', '/api/users?limit=1&page=2');
      assert.deepEqual(one.body.items[0].payments.map((p: { chargeId: string }) => p.chargeId), ['c-2b', 'c-2a'], 'payments newest first');
      assert.deepEqual((await api.request('GET', '/api/users?page=9')).body.items, []);
      const blank = await api.request('GET', '/api/users?status=&q=&page=&limit=');
      assert.deepEqual([blank.status, blank.body.total, blank.body.limit], [200, 5, 50], 'blank parameters count as not given');
      for (const bad of ['limit=0', 'limit=501', 'page=0', 'page=-1', 'limit=abc', 'page=1&page=2', 'limit=+5', 'page=%201']) {
        const res = await api.request('GET', `/api/users?${bad}`);
        assert.equal(res.status, 400, bad);
        assert.equal(typeof res.body.error, 'string');
      }
    });
  });
}
