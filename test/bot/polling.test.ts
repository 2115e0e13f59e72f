/** The polling loop against the fake Telegram server: offsets, a failed update retried, 409 survived. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { startPolling } from '../../src/bot/polling.js';
import { UpdateNotHandledError } from '../../src/bot/runtime-errors.js';
import { createLogger } from '../../src/log/logger.js';
import { createFakeTelegram } from '../fake-telegram/index.js';
import { waitUntil } from '../helpers/processes.js';
import { makeToken } from '../helpers/tokens.js';

const silent = () => createLogger({ logLevel: 'silent', logFormat: 'json', secrets: [] });

test('an update whose handling fails stays unconfirmed and is handled again; the rest are confirmed on stop', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token } = makeToken();
  fake.addBot({ token });
  const api = new Bot(token, { client: { apiRoot: fake.apiRoot } }).api;
  const seen: number[] = [];
  let failOnce = true;
  const first = fake.userSends(token, { user: { id: 1, first_name: 'A' }, text: 'one' });
  const second = fake.userSends(token, { user: { id: 1, first_name: 'A' }, text: 'two' });
  const poller = startPolling({
    api,
    logger: silent(),
    conflictGiveUpMs: 60_000,
    timeoutSeconds: 1,
    handle: async (update: Update) => {
      seen.push(update.update_id);
      if (update.update_id === second && failOnce) {
        failOnce = false;
        throw new UpdateNotHandledError(new Error('database unavailable'));
      }
    },
  });
  await waitUntil(() => seen.filter((id) => id === second).length === 2, 5_000, 'the failed update is delivered again');
  await poller.stop();
  assert.deepEqual(seen, [first, second, second], 'the update handled before the failure is not handled twice');
  assert.equal(fake.pendingUpdates(token), 0, 'everything handled is confirmed');
});
