import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPerChatSpacer } from '../../src/bot/per-chat-spacer.js';

test('per-chat spacer: one chat one at a time, the interval apart; other chats at once; a failure does not block the chat', async () => {
  const schedule = createPerChatSpacer(200);
  const starts: Array<[string, number]> = [];
  const t0 = Date.now();
  const send = (chat: string, fail = false) => schedule(chat, async () => {
    starts.push([chat, Date.now() - t0]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (fail) throw new Error('403');
    return chat;
  });
  const results = await Promise.allSettled([send('a'), send('a', true), send('a'), send('b'), send('c')]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  const a = starts.filter(([chat]) => chat === 'a').map(([, at]) => at);
  assert.equal(a.length, 3);
  // Timers may fire a millisecond early; the interval is 200 ms.
  assert.ok(a[1]! - a[0]! >= 195 && a[2]! - a[1]! >= 195, `chat a spaced: ${a.join(', ')}`);
  const others = starts.filter(([chat]) => chat !== 'a').map(([, at]) => at);
  assert.ok(others.every((at) => at < 100), `chats b and c did not wait for a: ${others.join(', ')}`);
});
