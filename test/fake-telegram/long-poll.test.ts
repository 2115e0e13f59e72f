/** getUpdates: long polling, offsets, allowed_updates and 409 between two consumers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Update } from 'grammy/types';
import { ANN, startFake } from './fixture.js';

const updatesOf = (body: { ok: boolean; result?: unknown }) => body.result as Update[];

test('a long poll answers as soon as an update is pushed', async (t) => {
  const { fake, token, call } = await startFake(t);
  const started = Date.now();
  const poll = call('getUpdates', { timeout: 10 });
  await fake.waitForCall({ method: 'getUpdates' }, 1000);
  const updateId = fake.userSends(token, { user: ANN, text: '/start plan_7' });
  const { status, body } = await poll;
  assert.equal(status, 200);
  assert.ok(Date.now() - started < 1000, 'answered early');
  const [update] = updatesOf(body);
  assert.equal(update?.update_id, updateId);
  assert.equal(update?.message?.text, '/start plan_7');
  assert.deepEqual(update?.message?.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
  assert.deepEqual(update?.message?.chat, { id: ANN.id, type: 'private', first_name: 'Ann', username: 'ann' });
  assert.equal(update?.message?.from?.language_code, 'en');
  assert.equal(fake.activePolls(token), 0);
});

test('a long poll with nothing to return answers [] after its timeout', async (t) => {
  const { call } = await startFake(t);
  const started = Date.now();
  const { status, body } = await call('getUpdates', { timeout: 1 });
  const elapsed = Date.now() - started;
  assert.equal(status, 200);
  assert.deepEqual(body, { ok: true, result: [] });
  assert.ok(elapsed >= 950 && elapsed < 1500, `waited ${elapsed} ms`);
});

test('an offset confirms every update below it; limit caps the answer; a negative offset keeps the tail', async (t) => {
  const { fake, token, call } = await startFake(t);
  const ids = [1, 2, 3, 4].map((n) => fake.userSends(token, { user: ANN, text: `m${n}` }));
  assert.deepEqual(ids, [1, 2, 3, 4]);
  assert.equal(fake.pendingUpdates(token), 4);

  assert.deepEqual(updatesOf((await call('getUpdates', { limit: 2 })).body).map((u) => u.update_id), [1, 2]);
  assert.equal(fake.pendingUpdates(token), 4, 'reading does not confirm');
  assert.deepEqual(updatesOf((await call('getUpdates', { offset: 3 })).body).map((u) => u.update_id), [3, 4]);
  assert.equal(fake.pendingUpdates(token), 2);
  assert.equal(fake.lastConfirmedOffset(token), 3);

  assert.deepEqual(updatesOf((await call('getUpdates', { offset: -1 })).body).map((u) => u.update_id), [4]);
  assert.equal(fake.pendingUpdates(token), 1);
  await call('getUpdates', { offset: 5 });
  assert.equal(fake.pendingUpdates(token), 0);
  assert.equal(fake.lastConfirmedOffset(token), 5);
});

test('a second getUpdates that must wait ends the first with 409, and proceeds itself', async (t) => {
  const { fake, token, call } = await startFake(t);
  const first = call('getUpdates', { timeout: 10 });
  await fake.waitForCall({ method: 'getUpdates' }, 1000);
  const second = call('getUpdates', { timeout: 10 });
  const { status, body } = await first;
  assert.equal(status, 409);
  assert.deepEqual(body, {
    ok: false,
    error_code: 409,
    description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  });
  assert.equal(fake.activePolls(token), 1);
  fake.userSends(token, { user: ANN, text: 'hello' });
  assert.equal((await second).status, 200);
  assert.deepEqual(fake.calls({ method: 'getUpdates' }).map((c) => c.status), [409, 200]);
  assert.equal(fake.getUpdatesCount(token), 2);
});

test('a client that goes away mid-poll is forgotten and loses no update', async (t) => {
  const { fake, token, call } = await startFake(t);
  const abort = new AbortController();
  const gone = call('getUpdates', { timeout: 10 }, abort.signal).catch((e: Error) => e.name);
  await fake.waitForCall({ method: 'getUpdates' }, 1000);
  abort.abort();
  assert.equal(await gone, 'AbortError');
  await fake.waitForCall({ method: 'getUpdates', status: 499 }, 1000);
  assert.equal(fake.activePolls(token), 0);

  const updateId = fake.userSends(token, { user: ANN, text: 'still here' });
  const next = updatesOf((await call('getUpdates', { timeout: 1 })).body);
  assert.deepEqual(next.map((u) => u.update_id), [updateId]);
});

test('allowed_updates is remembered per bot; types left out are not delivered', async (t) => {
  const { fake, token, call } = await startFake(t);
  fake.pushUpdate(token, { chat_member: {} } as never);
  const message = fake.userSends(token, { user: ANN, text: 'hi' });
  assert.deepEqual(updatesOf((await call('getUpdates')).body).map((u) => u.update_id), [message], 'chat_member is not in the default set');

  await call('getUpdates', { offset: message + 1, allowed_updates: ['callback_query'] });
  fake.userSends(token, { user: ANN, text: 'ignored' });
  await call('getUpdates', { limit: 1, timeout: 0 });
  const press = fake.pushUpdate(token, { callback_query: { id: 'q1', from: { id: ANN.id, is_bot: false, first_name: 'Ann' }, chat_instance: '1', data: 'x' } });
  assert.deepEqual(updatesOf((await call('getUpdates')).body).map((u) => u.update_id), [press], 'the previous list still applies');

  const info = await call('getWebhookInfo');
  assert.deepEqual((info.body as { result: { allowed_updates: string[] } }).result.allowed_updates, ['callback_query']);
  await call('getUpdates', { allowed_updates: '[]' });
  const after = (await call('getWebhookInfo')).body as { result: Record<string, unknown> };
  assert.equal('allowed_updates' in after.result, false, 'an empty list restores the default set');
});
