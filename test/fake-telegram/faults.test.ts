/** Injected faults: failNext, the rate limiter, latency. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFake } from './fixture.js';

test('failNext answers 429 with retry_after for the next matching calls only', async (t) => {
  const { fake, call } = await startFake(t);
  fake.failNext({ method: 'sendMessage', times: 2, errorCode: 429, retryAfter: 3 });
  assert.equal((await call('getMe')).status, 200, 'other methods are not affected');
  for (let i = 0; i < 2; i++) {
    const { status, body } = await call('sendMessage', { chat_id: 1, text: 'x' });
    assert.equal(status, 429);
    assert.deepEqual(body, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
  }
  assert.equal((await call('sendMessage', { chat_id: 1, text: 'x' })).status, 200);
});

test('failNext with any method and a custom description', async (t) => {
  const { call, fake } = await startFake(t);
  fake.failNext({ errorCode: 502, description: 'Bad Gateway' });
  assert.deepEqual((await call('getMe')).body, { ok: false, error_code: 502, description: 'Bad Gateway' });
  assert.equal((await call('getMe')).status, 200);
  assert.throws(() => fake.failNext({ errorCode: 42 }), /errorCode must be an integer ≥ 400, got 42/);
});

test('the rate limiter answers 429 with an integer retry_after once a second is full', async (t) => {
  const { fake, call } = await startFake(t);
  fake.setRateLimit({ perSecond: 30, perChatPerSecond: 1 });
  assert.equal((await call('sendMessage', { chat_id: 1, text: 'a' })).status, 200);
  const sameChat = await call('sendMessage', { chat_id: 1, text: 'b' });
  assert.equal(sameChat.status, 429);
  const retryAfter = (sameChat.body as { parameters: { retry_after: number } }).parameters.retry_after;
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1);

  fake.setRateLimit({ perSecond: 3 });
  const statuses: number[] = [];
  for (let chat = 10; chat < 15; chat++) statuses.push((await call('sendMessage', { chat_id: chat, text: 'hi' })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  assert.equal((await call('getMe')).status, 200, 'only sending methods are limited');
  fake.setRateLimit(undefined);
  assert.equal((await call('sendMessage', { chat_id: 10, text: 'again' })).status, 200);
});

test('setLatency delays every answer', async (t) => {
  const { fake, call } = await startFake(t);
  fake.setLatency(150);
  const started = Date.now();
  await call('getMe');
  assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
});
