/** `/api/plans`: create (201), patch, list, one — the domain's plan rules answer 400 — on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../../helpers/databases.js';
import { DEFAULT_CHAT, startApi } from '../../api/api-fixture.js';

const MONTHLY = { title: 'Monthly', description: 'All posts', price: 250, duration: '30d', chatIds: [-1001234567890], recurring: true };

for (const database of await testDatabases()) {
  describe(`/api/plans (${database.kind})`, () => {
    test('create, patch, list and get', async (t) => {
      const api = await startApi(t, database);
      const created = await api.request('POST', '/api/plans', { body: MONTHLY });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body, { id: created.body.id, ...MONTHLY, active: true });
      const lifetime = await api.request('POST', '/api/plans', { body: { title: 'Forever', price: 5000, duration: 'lifetime' } });
      assert.equal(lifetime.status, 201, lifetime.text);
      assert.deepEqual(lifetime.body.chatIds, [DEFAULT_CHAT], 'PAYWALL_CHAT_ID fills in');
      assert.equal(lifetime.body.description, '');
      assert.equal(lifetime.body.recurring, false);

      const patched = await api.request('PATCH', `/api/plans/${created.body.id}`, { body: { title: 'Monthly+', active: false, chatIds: [-100, -200] } });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body, { ...created.body, title: 'Monthly+', active: false, chatIds: [-100, -200] });

      const list = await api.request('GET', '/api/plans');
      assert.deepEqual(list.body, { items: [patched.body, lifetime.body], page: 1, limit: 50, total: 2 });
      assert.deepEqual((await api.request('GET', '/api/plans?limit=1&page=2')).body.items, [lifetime.body]);
      assert.deepEqual((await api.request('GET', `/api/plans/${lifetime.body.id}`)).body, lifetime.body);
    });

    test('invalid plans and patches are 400s naming the field; unknown plans 404', async (t) => {
      const api = await startApi(t, database);
      const cases: [unknown, RegExp][] = [
        [{ ...MONTHLY, price: 0 }, /price/],
        [{ ...MONTHLY, price: 1.5 }, /price/],
        [{ ...MONTHLY, price: '250' }, /price/],
        [{ ...MONTHLY, price: 1e300 }, /price/],
        [{ ...MONTHLY, title: '' }, /title/],
        [{ ...MONTHLY, duration: '7d' }, /recurring plan must last exactly 30d/],
        [{ ...MONTHLY, duration: '1w' }, /duration/],
        [{ ...MONTHLY, chatIds: 'x' }, /list/],
        [{ ...MONTHLY, chatIds: [0] }, /chat id/],
        [{ ...MONTHLY, recurring: 'yes' }, /true or false/],
        [{ ...MONTHLY, chat: 1 }, /unknown field "chat"/],
        [[MONTHLY], /JSON object/],
      ];
      for (const [body, message] of cases) {
        const res = await api.request('POST', '/api/plans', { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.error, message);
      }
      const plan = (await api.request('POST', '/api/plans', { body: MONTHLY })).body;
      const bad = await api.request('PATCH', `/api/plans/${plan.id}`, { body: { duration: '7d' } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /exactly 30d/);
      assert.equal((await api.request('PATCH', `/api/plans/${plan.id}`, { body: { active: 'no' } })).status, 400);
      assert.equal((await api.request('PATCH', '/api/plans/999', { body: { title: 'x' } })).status, 404);
      assert.equal((await api.request('GET', '/api/plans/999')).status, 404);
      assert.equal((await api.request('PATCH', '/api/plans/1.5', { body: { title: 'x' } })).status, 400);
      assert.equal((await api.request('DELETE', `/api/plans/${plan.id}`)).status, 405);
    });
  });
}
