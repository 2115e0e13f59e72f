import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, type Transformer } from 'grammy';
import { BEFORE_SEND, installSendLimits } from '../../src/bot/send-limits.js';

/** An Api whose requests never leave the process: each takes `ms` and is logged. */
function offlineApi(events: string[], ms: number): Api {
  const api = new Api('123:offline');
  // Installed first, so it runs last: it stands where the network would be.
  const network: Transformer = async (_prev, method, payload) => {
    const chat = String((payload as { chat_id?: unknown }).chat_id);
    events.push(`start ${chat}`);
    await sleep(ms);
    events.push(`end ${chat}`);
    return { ok: true, result: { message_id: 1, date: 0, chat: { id: Number(chat), type: 'private', first_name: 'x' } } } as never;
  };
  api.config.use(network);
  return api;
}

test('send limits: requests with a checkpoint hook go one at a time, from the hook to the answer', async () => {
  const events: string[] = [];
  const api = offlineApi(events, 40);
  const limits = installSendLimits(api, { perChatIntervalMs: 1 });
  const send = (chat: number) => api.sendMessage(chat, 'hi', { [BEFORE_SEND]: async () => { events.push(`hook ${chat}`); } } as never);
  await Promise.all([send(1), send(2), send(3)]);
  await limits.stop();
  // Each hook's request is answered before the next hook runs: a crash cuts at most one checkpointed send.
  assert.equal(events.length, 9, events.join(', '));
  for (let i = 0; i < 9; i += 3) {
    const chat = events[i]!.split(' ')[1];
    assert.deepEqual(events.slice(i, i + 3), [`hook ${chat}`, `start ${chat}`, `end ${chat}`], events.join(', '));
  }
});

test('send limits: requests without a hook into different chats are not held up by each other', async () => {
  const events: string[] = [];
  const api = offlineApi(events, 40);
  const limits = installSendLimits(api, { perChatIntervalMs: 1 });
  await Promise.all([1, 2, 3].map((chat) => api.sendMessage(chat, 'hi')));
  await limits.stop();
  assert.deepEqual(events.slice(0, 3).sort(), ['start 1', 'start 2', 'start 3'], `all three under way at once: ${events.join(', ')}`);
});
