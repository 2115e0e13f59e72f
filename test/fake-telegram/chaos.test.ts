/** Dropped connections (dropNext) and random faults (setChaos). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Update } from 'grammy/types';
import { DROPPED } from './chaos.js';
import { callControl } from './client.js';
import { ANN, resultOf, startFake, type FakeFixture } from './fixture.js';

/** The call's HTTP status, or 'dropped' when the connection closed without an answer. */
async function statusOf(fixture: FakeFixture, method: string, params: Record<string, unknown> = {}): Promise<number | 'dropped'> {
  try {
    return (await fixture.call(method, params)).status;
  } catch (err) {
    // undici: "fetch failed", caused by "other side closed" / ECONNRESET.
    assert.match(String((err as Error).message), /fetch failed/);
    return 'dropped';
  }
}

test('dropNext cuts the connection before the method runs: no effect, recorded as 444', async (t) => {
  const fixture = await startFake(t);
  const { fake } = fixture;
  fake.dropNext({ method: 'sendMessage', times: 2 });
  assert.equal(await statusOf(fixture, 'getMe'), 200, 'other methods are not affected');
  assert.equal(await statusOf(fixture, 'sendMessage', { chat_id: ANN.id, text: 'one' }), 'dropped');
  assert.equal(await statusOf(fixture, 'sendMessage', { chat_id: ANN.id, text: 'two' }), 'dropped');
  assert.equal(await statusOf(fixture, 'sendMessage', { chat_id: ANN.id, text: 'three' }), 200);
  const sends = fake.calls({ method: 'sendMessage' });
  assert.deepEqual(sends.map((c) => c.status), [DROPPED, DROPPED, 200]);
  assert.equal(sends[0]!.response, undefined);
  assert.deepEqual(fake.sentMessages(ANN.id).map((m) => m.text), ['three'], 'the dropped sends had no effect');
});

test('dropNext after: the method runs, the answer is lost; dropped updates are delivered again', async (t) => {
  const fixture = await startFake(t);
  const { fake, token } = fixture;
  const first = fake.userSends(token, { user: ANN, text: '/start' });
  fake.dropNext({ method: 'getUpdates', after: true });
  assert.equal(await statusOf(fixture, 'getUpdates', { timeout: 0 }), 'dropped');
  const dropped = fake.calls({ method: 'getUpdates' })[0]!;
  assert.equal(dropped.status, DROPPED);
  assert.deepEqual((dropped.response as { result: Update[] }).result.map((u) => u.update_id), [first], 'the lost answer is kept');
  const again = resultOf<Update[]>(await fixture.call('getUpdates', { timeout: 0 }));
  assert.deepEqual(again.map((u) => u.update_id), [first], 'not confirmed, so delivered again');

  fake.dropNext({ method: 'sendMessage', after: true });
  assert.equal(await statusOf(fixture, 'sendMessage', { chat_id: ANN.id, text: 'sent, answer lost' }), 'dropped');
  const send = fake.calls({ method: 'sendMessage' })[0]!;
  assert.equal(send.status, DROPPED);
  assert.equal((send.response as { result: { text: string } }).result.text, 'sent, answer lost');
  assert.throws(() => fake.dropNext({ times: 0 }), /times must be an integer ≥ 1, got 0/);
});

test('setChaos at rate 1 faults every matching call with the chosen kinds, and counts them', async (t) => {
  const fixture = await startFake(t);
  const { fake } = fixture;
  fake.setChaos({ rate: 1, kinds: ['error'], errorCodes: [502], methods: ['sendMessage'], seed: 1 });
  assert.equal(await statusOf(fixture, 'getMe'), 200, 'methods outside the list are left alone');
  const answer = await fixture.call('sendMessage', { chat_id: ANN.id, text: 'x' });
  assert.deepEqual(answer.body, { ok: false, error_code: 502, description: 'Bad Gateway' });
  assert.deepEqual(fake.chaosStats(), { calls: 1, error: 1, latency: 0, drop: 0 });

  fake.setChaos({ rate: 1, kinds: ['drop'], seed: 1 });
  assert.equal(await statusOf(fixture, 'getMe'), 'dropped');
  assert.deepEqual(fake.chaosStats(), { calls: 1, error: 0, latency: 0, drop: 1 }, 'stats restart with each setChaos');

  fake.setChaos({ rate: 1, kinds: ['latency'], latencyMs: 300, seed: 1 });
  const started = Date.now();
  assert.equal(await statusOf(fixture, 'getMe'), 200);
  assert.ok(Date.now() - started >= 25, `a latency fault delays by at least latencyMs / 10 (took ${Date.now() - started} ms)`);

  fake.setChaos(undefined);
  assert.equal(await statusOf(fixture, 'getMe'), 200);
  assert.throws(() => fake.setChaos({ rate: 1.5 }), /rate must be a number from 0 to 1, got 1.5/);
  assert.throws(() => fake.setChaos({ rate: 0.1, kinds: ['boom' as never] }), /kinds must be a non-empty list/);
  assert.throws(() => fake.setChaos({ rate: 0.1, errorCodes: [404] }), /errorCodes must be a non-empty list of integers from 500 to 599/);
});

test('setChaos hits about its rate, and the same seed gives the same faults', async (t) => {
  const run = async (seed: number): Promise<string[]> => {
    const fixture = await startFake(t);
    fixture.fake.setChaos({ rate: 0.2, seed, kinds: ['error', 'drop'] });
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i++) outcomes.push(String(await statusOf(fixture, 'getMe')));
    const stats = fixture.fake.chaosStats();
    assert.equal(stats.calls, 100);
    assert.equal(stats.error + stats.drop, outcomes.filter((o) => o !== '200').length);
    return outcomes;
  };
  const first = await run(42);
  const faulted = first.filter((o) => o !== '200').length;
  assert.ok(faulted >= 8 && faulted <= 35, `about 20 of 100 calls faulted, got ${faulted}`);
  assert.ok(first.includes('dropped') && first.some((o) => o.startsWith('5')), 'both kinds occur');
  assert.deepEqual(await run(42), first);
});

test('over HTTP: dropNext, setChaos and chaosStats', async (t) => {
  const fixture = await startFake(t);
  const { fake, token } = fixture;
  await callControl(fake.apiRoot, 'dropNext', { method: 'getMe', token });
  assert.equal(await statusOf(fixture, 'getMe'), 'dropped');
  await callControl(fake.apiRoot, 'setChaos', { rate: 1, kinds: ['error'], errorCodes: [503] });
  assert.equal(await statusOf(fixture, 'getMe'), 503);
  assert.deepEqual(await callControl(fake.apiRoot, 'chaosStats'), { calls: 1, error: 1, latency: 0, drop: 0 });
  await callControl(fake.apiRoot, 'setChaos', {});
  assert.equal(await statusOf(fixture, 'getMe'), 200);
  await assert.rejects(callControl(fake.apiRoot, 'setChaos', { rate: -1 }), /rate must be a number from 0 to 1/);
});
