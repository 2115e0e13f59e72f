/** The polling loop with an inbox: it fetches ahead, takes back what a failure or a stop left, and starts with what was kept. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { startPolling, type Poller, type PollerInbox } from '../../src/bot/polling.js';
import { UpdateNotHandledError } from '../../src/bot/runtime-errors.js';
import { createLogger } from '../../src/log/logger.js';
import { createFakeTelegram, type FakeTelegram } from '../fake-telegram/index.js';
import { waitUntil } from '../helpers/processes.js';
import { makeToken } from '../helpers/tokens.js';

const silent = () => createLogger({ logLevel: 'silent', logFormat: 'json', secrets: [] });

/** An inbox in memory, as the database one behaves: kept as JSON until released. */
function memoryInbox(): PollerInbox & { kept: Map<number, string>; finished: number[] } {
  const kept = new Map<number, string>();
  const finished: number[] = [];
  return {
    kept,
    finished,
    async prepare(updates) {
      const todo = updates.filter((u) => !finished.includes(u.update_id));
      for (const u of todo) kept.set(u.update_id, JSON.stringify(u));
      return todo;
    },
    async finish(handled) {
      for (const u of handled) {
        finished.push(u.update_id);
        kept.delete(u.update_id);
      }
    },
    async pending(limit) {
      return [...kept.keys()].sort((a, b) => a - b).slice(0, limit).map((id) => JSON.parse(kept.get(id)!) as Update);
    },
  };
}

async function fakeBot(t: TestContext): Promise<{ fake: FakeTelegram; token: string; api: Bot['api'] }> {
  const fake = await createFakeTelegram();
  t.after(() => fake.close());
  const { token } = makeToken();
  fake.addBot({ token });
  return { fake, token, api: new Bot(token, { client: { apiRoot: fake.apiRoot } }).api };
}

test('with an inbox: the next batch is fetched and handled while a slow update of the first is still in hand', async (t) => {
  const { fake, token, api } = await fakeBot(t);
  const inbox = memoryInbox();
  const slow = fake.userSends(token, { user: { id: 1, first_name: 'Slow' }, text: 'one' });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const handled: number[] = [];
  const poller: Poller = startPolling({
    api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox,
    handle: async (update) => {
      if (update.update_id === slow) await gate;
      handled.push(update.update_id);
    },
  });
  t.after(() => poller.stop());
  await waitUntil(() => inbox.kept.has(slow), 5_000, 'the first batch kept');
  // Queued after the first batch was fetched: without fetching ahead it would wait for the slow update.
  const later = fake.userSends(token, { user: { id: 2, first_name: 'Payer' }, text: 'two' });
  await waitUntil(() => handled.includes(later), 5_000, 'the later update handled while the slow one is in hand');
  assert.ok(!handled.includes(slow));
  assert.ok(inbox.kept.has(slow) && !inbox.kept.has(later), 'the slow update stays kept until handled; the later one is released');
  assert.ok(fake.lastConfirmedOffset(token) > slow, 'the first batch was confirmed to Telegram once kept');
  release();
  await waitUntil(() => handled.includes(slow), 5_000, 'the slow update handled');
  await poller.stop();
  assert.equal(inbox.kept.size, 0);
  assert.deepEqual(inbox.finished.sort((a, b) => a - b), [slow, later]);
});

test('with an inbox: a failed update stays kept and is handled again after a backoff, its user\'s later updates after it', async (t) => {
  const { fake, token, api } = await fakeBot(t);
  const inbox = memoryInbox();
  const user = { id: 1, first_name: 'A' };
  const failing = fake.userSends(token, { user, text: 'one' });
  const next = fake.userSends(token, { user, text: 'two' });
  const other = fake.userSends(token, { user: { id: 2, first_name: 'B' }, text: 'hi' });
  const seen: number[] = [];
  let failOnce = true;
  const poller = startPolling({
    api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox,
    handle: async (update) => {
      seen.push(update.update_id);
      if (update.update_id === failing && failOnce) {
        failOnce = false;
        throw new UpdateNotHandledError(new Error('database unavailable'));
      }
    },
  });
  t.after(() => poller.stop());
  await waitUntil(() => seen.includes(next), 10_000, 'the failed update and the next one handled after the backoff');
  await poller.stop();
  assert.deepEqual(seen.filter((id) => id !== other), [failing, failing, next], 'in order, the failed one twice, nothing else twice');
  assert.equal(seen.filter((id) => id === other).length, 1, 'the other user was not held up or repeated');
  assert.equal(inbox.kept.size, 0);
  assert.equal(fake.pendingUpdates(token), 0);
});

test('with an inbox: updates kept by an earlier run are handled first, in order (Telegram never had them again)', async (t) => {
  const { api } = await fakeBot(t);
  const inbox = memoryInbox();
  const keptBefore: Update[] = [7, 8].map((id) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 5, type: 'private', first_name: 'K' }, from: { id: 5, is_bot: false, first_name: 'K' }, text: `kept ${id}` } }));
  for (const u of keptBefore) inbox.kept.set(u.update_id, JSON.stringify(u));
  const seen: string[] = [];
  const poller = startPolling({
    api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox,
    handle: async (update) => { seen.push(update.message?.text ?? ''); },
  });
  t.after(() => poller.stop());
  await waitUntil(() => seen.length >= 2, 5_000, 'the kept updates handled');
  await poller.stop();
  assert.deepEqual(seen, ['kept 7', 'kept 8']);
  assert.equal(inbox.kept.size, 0);
});

test('with an inbox: a stop finishes the update in hand and leaves the rest kept, with the offset past them', async (t) => {
  const { fake, token, api } = await fakeBot(t);
  const inbox = memoryInbox();
  const user = { id: 1, first_name: 'A' };
  const first = fake.userSends(token, { user, text: 'one' });
  const second = fake.userSends(token, { user, text: 'two' });
  let started!: () => void;
  const inHand = new Promise<void>((resolve) => { started = resolve; });
  const seen: number[] = [];
  const poller = startPolling({
    api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox,
    handle: async (update) => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen.push(update.update_id);
    },
  });
  await inHand;
  await poller.stop();
  assert.deepEqual(seen, [first], 'the update in hand was finished, the next not started');
  assert.deepEqual([...inbox.kept.keys()], [second], 'the rest stays kept for the next start');
  assert.equal(fake.lastConfirmedOffset(token), second + 1, 'confirmed: it is kept');
});

test('with an inbox: its early updates are handled before the batch is kept and apart from their sender\'s slow update, then finished with its batch', async (t) => {
  const { fake, token, api } = await fakeBot(t);
  const base = memoryInbox();
  let releaseKeep!: () => void;
  const keepGate = new Promise<void>((resolve) => { releaseKeep = resolve; });
  let releaseSlow!: () => void;
  const slowGate = new Promise<void>((resolve) => { releaseSlow = resolve; });
  const user = { id: 1, first_name: 'Payer' };
  const slow = fake.userSends(token, { user, text: 'slow' });
  const urgent = fake.userSends(token, { user, text: 'urgent' });
  const inbox: PollerInbox = {
    ...base,
    early: (updates) => updates.filter((u) => u.message?.text === 'urgent'),
    prepare: async (updates, fresh) => { await keepGate; return base.prepare(updates, fresh); },
  };
  const handled: number[] = [];
  const poller = startPolling({
    api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox,
    handle: async (update) => {
      if (update.update_id === slow) await slowGate;
      handled.push(update.update_id);
    },
  });
  t.after(() => poller.stop());
  await waitUntil(() => handled.includes(urgent), 5_000, 'the early update handled while the batch is not yet kept and its sender\'s first update waits');
  assert.equal(base.kept.size, 0, 'nothing kept yet');
  assert.equal(fake.lastConfirmedOffset(token), 0, 'nor confirmed');
  releaseKeep();
  await waitUntil(() => fake.lastConfirmedOffset(token) > urgent, 5_000, 'the batch kept, then confirmed');
  assert.deepEqual([...base.kept.keys()].sort((a, b) => a - b), [slow, urgent], 'both kept until the batch settles');
  releaseSlow();
  await waitUntil(() => base.kept.size === 0, 5_000, 'the slow update handled and released');
  await poller.stop();
  assert.deepEqual(handled, [urgent, slow]);
  assert.deepEqual(base.finished.sort((a, b) => a - b), [slow, urgent], 'each recorded once');
});

test('with an inbox: only the first batch of a poller is checked for updates seen before; later ones are fresh', async (t) => {
  const { fake, token, api } = await fakeBot(t);
  const base = memoryInbox();
  const flags: boolean[] = [];
  const inbox: PollerInbox = { ...base, prepare: (updates, fresh) => { flags.push(fresh); return base.prepare(updates, fresh); } };
  const handled: number[] = [];
  const poller = startPolling({ api, logger: silent(), conflictGiveUpMs: 60_000, timeoutSeconds: 1, inbox, handle: async (u) => { handled.push(u.update_id); } });
  t.after(() => poller.stop());
  const first = fake.userSends(token, { user: { id: 1, first_name: 'A' }, text: 'one' });
  await waitUntil(() => handled.includes(first), 5_000, 'the first batch');
  const second = fake.userSends(token, { user: { id: 2, first_name: 'B' }, text: 'two' });
  await waitUntil(() => handled.includes(second), 5_000, 'the second batch');
  await poller.stop();
  assert.deepEqual(flags, [false, true]);
});
