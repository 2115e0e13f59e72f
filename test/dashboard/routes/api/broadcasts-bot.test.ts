/** `/api/broadcasts` and `/api/bot` — on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHeartbeatStore } from '../../../../src/db/index.js';
import { testDatabases } from '../../../helpers/databases.js';
import { seedUser, startApi } from '../../api/api-fixture.js';

for (const database of await testDatabases()) {
  describe(`/api/broadcasts and /api/bot (${database.kind})`, () => {
    test('a broadcast is queued (202 with its id) and shown; bad HTML or audience 400; unknown 404', async (t) => {
      const api = await startApi(t, database);
      await seedUser(api.store, 1);
      await seedUser(api.store, 2);
      await api.store.users.setBlocked(2, true, api.now());
      const created = await api.request('POST', '/api/broadcasts', { body: { text: '<b>News</b> &amp; more', audience: 'all' } });
      assert.equal(created.status, 202, created.text);
      assert.deepEqual(Object.keys(created.body), ['id']);
      const shown = await api.request('GET', `/api/broadcasts/${created.body.id}`);
      assert.deepEqual(shown.body, { id: created.body.id, status: 'queued', total: 1, sent: 0, failed: 0 });
      for (const text of ['<b>unclosed', '<script>x</script>', 'a < b', '<b><i>x</b></i>']) {
        const res = await api.request('POST', '/api/broadcasts', { body: { text, audience: 'all' } });
        assert.equal(res.status, 400, text);
        assert.match(res.body.error, /HTML/);
      }
      const audience = await api.request('POST', '/api/broadcasts', { body: { text: 'hi', audience: 'everyone' } });
      assert.equal(audience.status, 400);
      assert.match(audience.body.error, /audience/);
      assert.equal((await api.request('GET', '/api/broadcasts/999')).status, 404);
      assert.equal((await api.request('GET', '/api/broadcasts/x')).status, 400);
    });

    test('bot: not running before any heartbeat; running and healthy, unhealthy, or stopped by age', async (t) => {
      const api = await startApi(t, database);
      const none = await api.request('GET', '/api/bot');
      assert.deepEqual(none.body, { running: false, healthy: false, pid: null, host: null, mode: null, startedAt: null, lastPollAt: null, conflicts: 0 });
      const heartbeats = createHeartbeatStore(api.db.knex);
      const now = api.now().getTime();
      const beat = (over: { updatedAgo: number; pollAgo: number | null; mode?: 'polling' | 'webhook'; webhookErrorAgo?: number }) => heartbeats.write({
        botId: 42, pid: 1234, host: 'box', mode: over.mode ?? 'polling', startedAt: new Date(now - 3_600_000), conflicts: 2,
        lastPollAt: over.pollAgo === null ? null : new Date(now - over.pollAgo), updatedAt: new Date(now - over.updatedAgo),
        lastWebhookErrorAt: over.webhookErrorAgo === undefined ? null : new Date(now - over.webhookErrorAgo),
      });
      await beat({ updatedAgo: 2_000, pollAgo: 20_000 });
      assert.deepEqual((await api.request('GET', '/api/bot')).body, {
        running: true, healthy: true, pid: 1234, host: 'box', mode: 'polling', startedAt: new Date(now - 3_600_000).toISOString(), lastPollAt: new Date(now - 20_000).toISOString(), conflicts: 2,
      });
      await beat({ updatedAgo: 2_000, pollAgo: 61_000 });
      assert.deepEqual(((b) => [b.running, b.healthy])((await api.request('GET', '/api/bot')).body), [true, false]);
      await beat({ updatedAgo: 16_000, pollAgo: 16_000 });
      assert.deepEqual(((b) => [b.running, b.healthy])((await api.request('GET', '/api/bot')).body), [false, false]);
      await beat({ updatedAgo: 1_000, pollAgo: null, mode: 'webhook', webhookErrorAgo: 30_000 });
      assert.deepEqual(((b) => [b.running, b.healthy])((await api.request('GET', '/api/bot')).body), [true, false]);
      await beat({ updatedAgo: 1_000, pollAgo: null, mode: 'webhook', webhookErrorAgo: 61_000 });
      assert.deepEqual(((b) => [b.running, b.healthy])((await api.request('GET', '/api/bot')).body), [true, true]);
    });
  });
}
