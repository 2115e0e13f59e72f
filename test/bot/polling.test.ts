/** The polling loop against the fake Telegram server: offsets, a failed update retried, 409 survived. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { startPolling, type Poller } from '../../src/bot/polling.js';
import type { RuntimeHealth } from '../../src/bot/stall-watch.js';
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

test('a 409 is survived: health shows the episode, polling resumes after the other poller stops, and the episode ends after a full long poll', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token } = makeToken();
  fake.addBot({ token });
  const api = new Bot(token, { client: { apiRoot: fake.apiRoot } }).api;
  const seen: number[] = [];
  const healthWhenHandled: RuntimeHealth[] = [];
  let episodes = 0;
  const poller: Poller = startPolling({
    api,
    logger: silent(),
    conflictGiveUpMs: 60_000,
    timeoutSeconds: 1,
    handle: async (update: Update) => { seen.push(update.update_id); healthWhenHandled.push(poller.health()); },
    onConflictEpisode: () => { episodes += 1; },
  });
  t.after(() => poller.stop());
  const ours = () => fake.calls({ method: 'getUpdates', token }).filter((c) => 'allowed_updates' in c.params);
  await waitUntil(() => poller.health().lastPollAt !== null, 5_000, 'a first successful poll');
  assert.equal(poller.health().conflictSince, null);

  // Another consumer polls in a loop until the poller has met it twice (its retry comes 4–6 s after the first 409).
  const other = new AbortController();
  const otherLoop = (async () => {
    while (!other.signal.aborted) {
      await fetch(`${fake.apiRoot}/bot${token}/getUpdates`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeout: 5 }), signal: other.signal,
      }).then((r) => r.arrayBuffer(), () => undefined);
    }
  })();
  await waitUntil(() => ours().filter((c) => c.status === 409).length >= 2, 15_000, 'the poller retries into the other consumer');
  const during = poller.health();
  assert.notEqual(during.conflictSince, null, 'health shows the episode');
  other.abort();
  await otherLoop;

  const updateId = fake.userSends(token, { user: { id: 1, first_name: 'A' }, text: 'after' });
  // Deadline from the other poller's stop: the second backoff is at most 12 s.
  await waitUntil(() => seen.includes(updateId), 20_000, 'the update sent after the conflict is handled');
  assert.equal(healthWhenHandled.at(-1)?.conflictSince, during.conflictSince, 'a quick success does not end the episode');
  // One full 1 s long poll without a 409 ends it; deadline from now.
  await waitUntil(() => poller.health().conflictSince === null, 5_000, 'the episode ends after a full long poll');
  assert.equal(episodes, 1);
  assert.equal(poller.conflicts.episodes(), 1);
});

test('a batch: each user in order, different users at once; a failure confirms only what came before it', async (t) => {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token } = makeToken();
  fake.addBot({ token });
  const api = new Bot(token, { client: { apiRoot: fake.apiRoot } }).api;
  const slowFirst = fake.userSends(token, { user: { id: 1, first_name: 'Slow' }, text: 'one' });
  const slowSecond = fake.userSends(token, { user: { id: 1, first_name: 'Slow' }, text: 'two' });
  const quick = fake.userSends(token, { user: { id: 2, first_name: 'Quick' }, text: 'hi' });
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const poller = startPolling({
    api,
    logger: silent(),
    conflictGiveUpMs: 60_000,
    timeoutSeconds: 1,
    handle: async (update: Update) => {
      events.push(`start ${update.update_id}`);
      if (update.update_id === slowFirst) await gate;
      events.push(`end ${update.update_id}`);
    },
  });
  t.after(() => poller.stop());
  await waitUntil(() => events.includes(`end ${quick}`), 5_000, 'the other user is answered while the first is still in hand');
  assert.ok(!events.includes(`start ${slowSecond}`), "the slow user's next update waits for their first");
  release();
  await waitUntil(() => events.includes(`end ${slowSecond}`), 5_000, 'then the next update of the slow user');
  assert.ok(events.indexOf(`end ${slowFirst}`) < events.indexOf(`start ${slowSecond}`), 'in order');
  await poller.stop();
  assert.equal(fake.pendingUpdates(token), 0);
});
