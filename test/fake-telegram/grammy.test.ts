/** The fake against the real client: a grammY bot starts, replies, and stops cleanly. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bot } from 'grammy';
import { ANN, startFake } from './fixture.js';

test('a grammY bot long-polls the fake, answers /start, and confirms the offset when it stops', async (t) => {
  const { fake, token } = await startFake(t);
  const bot = new Bot(token, { client: { apiRoot: fake.apiRoot } });
  bot.command('start', (ctx) => ctx.reply(`Welcome, <b>${ctx.from?.first_name}</b>`, { parse_mode: 'HTML' }));
  const running = bot.start({ drop_pending_updates: false, timeout: 10 });
  t.after(() => bot.stop());

  await fake.waitForCall({ method: 'getUpdates', token }, 1500);
  const updateId = fake.userSends(token, { user: ANN, text: '/start' });
  const reply = await fake.waitForCall({ method: 'sendMessage', status: 200 }, 1500);
  assert.equal(Number(reply.params['chat_id']), ANN.id);
  assert.deepEqual(fake.sentMessages(ANN.id).map((m) => ('text' in m ? m.text : '')), ['Welcome, Ann']);

  await bot.stop();
  await running;
  assert.ok(fake.lastConfirmedOffset(token) > updateId, 'the handled update was confirmed');
  assert.equal(fake.pendingUpdates(token), 0);
  assert.equal(fake.activePolls(token), 0);
  assert.equal(fake.calls({ method: 'getUpdates' }).filter((c) => c.status === 409).length, 0);
});
