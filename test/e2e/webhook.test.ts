/**
 * Webhook mode with the real `paywall dashboard` (WEBHOOK_URL set) and the
 * fake Telegram server, on both databases: it waits for the token's lock
 * while `paywall bot` holds it (the webhook answers 503), then sets the
 * webhook with a secret and the update types it handles; updates with the
 * right secret are handled, a wrong or missing one is 401 and not handled, a
 * duplicate update_id is handled once; stopping leaves the webhook set, and
 * `paywall bot --delete-webhook` goes back to polling.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Update } from 'grammy/types';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';

const WEBHOOK_BASE = 'https://paywall.example.test';
const LISTENING = /Dashboard listening on port (\d+)/;
const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

let nextUpdateId = 500_000;

/** A private-chat `/start` from `userId`, as Telegram posts it. */
function startUpdate(userId: number, updateId = nextUpdateId++): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: `Hook ${userId}` },
      from: { id: userId, is_bot: false, first_name: `Hook ${userId}` },
      text: '/start',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    },
  } as Update;
}

async function post(port: number, update: unknown, secret: string | undefined): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { [SECRET_HEADER]: secret }) },
    body: JSON.stringify(update),
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  return res.status;
}

function answersTo(h: Harness, userId: number): number {
  return h.fake.sentMessages(userId).length;
}

for (const database of await testDatabases()) {
  describe(`webhook mode (${database.kind})`, () => {
    test('waits for the lock (503), sets the webhook with a secret, handles each update once, 401 without the secret; --delete-webhook polls again', async (t) => {
      const h = await createHarness(t, database);
      const bot = h.spawn(['bot']);
      await bot.waitForOutput(/"msg":"Polling for updates"/, 20_000);

      const dashboard = h.spawn(['dashboard'], { env: { WEBHOOK_URL: WEBHOOK_BASE, DASHBOARD_PASSWORD: 'webhook-test-password' } });
      const port = Number(LISTENING.exec(await dashboard.waitForOutput(LISTENING, 20_000))![1]);
      await dashboard.waitForOutput(/waiting for the lock and lease/, 20_000);
      assert.equal(await post(port, startUpdate(801), 'anything'), 503, 'another process holds the token: 503, Telegram retries');
      assert.equal(h.fake.webhook(h.token), undefined, 'no webhook is set while the poller holds the token');

      bot.kill('SIGTERM');
      assert.equal((await bot.waitForExit(15_000)).code, 0);
      // From the poller's exit, the waiting dashboard takes the lock and sets the webhook (generous slack for a loaded machine).
      await waitUntil(() => h.fake.webhook(h.token) !== undefined, 15_000, 'the dashboard sets the webhook');
      const hook = h.fake.webhook(h.token)!;
      assert.equal(hook.url, `${WEBHOOK_BASE}/telegram/webhook`);
      assert.ok(hook.secretToken && hook.secretToken.length >= 32, 'a long random secret');
      assert.ok(hook.allowedUpdates?.includes('pre_checkout_query') && hook.allowedUpdates.includes('chat_join_request'), JSON.stringify(hook.allowedUpdates));
      const secret = hook.secretToken!;

      assert.equal(await post(port, startUpdate(802), undefined), 401, 'no secret: 401');
      assert.equal(await post(port, startUpdate(803), 'wrong-secret'), 401, 'a wrong secret: 401');
      const twice = startUpdate(804);
      assert.equal(await post(port, twice, secret), 200);
      assert.equal(await post(port, twice, secret), 200, 'a redelivery is acknowledged');
      await waitUntil(() => answersTo(h, 804) >= 1, 10_000, '/start answered');
      assert.equal(await post(port, startUpdate(805), secret), 200);
      await waitUntil(() => answersTo(h, 805) >= 1, 10_000, 'the next /start answered');
      assert.equal(answersTo(h, 804), 1, 'the duplicate update_id was handled once');
      assert.equal(answersTo(h, 802) + answersTo(h, 803) + answersTo(h, 801), 0, 'refused updates were not handled');
      const bad = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, { method: 'POST', headers: { [SECRET_HEADER]: secret, 'content-type': 'application/json' }, body: '{not json' });
      assert.equal(bad.status, 400);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

      dashboard.kill('SIGTERM');
      assert.equal((await dashboard.waitForExit(15_000)).code, 0);
      assert.ok(h.fake.webhook(h.token), 'stopping leaves the webhook set for the next deployment');

      const refused = await h.run(['bot'], {}, 20_000);
      assert.equal(refused.code, 5, 'a webhook is set: `paywall bot` exits 5');
      assert.match(refused.stderr, /paywall\.example\.test/);
      assert.ok(h.fake.webhook(h.token), 'and leaves the webhook in place');

      const polling = h.spawn(['bot', '--delete-webhook']);
      await polling.waitForOutput(/"msg":"Polling for updates"/, 20_000);
      assert.equal(h.fake.webhook(h.token), undefined, '--delete-webhook removed it');
      h.fake.userSends(h.token, { user: { id: 806, first_name: 'Polling again' }, text: '/start' });
      await waitUntil(() => answersTo(h, 806) >= 1, 10_000, '/start answered by polling');
      polling.kill('SIGTERM');
      assert.equal((await polling.waitForExit(15_000)).code, 0);
      h.assertNoTokenLeak();
    });
  });
}
