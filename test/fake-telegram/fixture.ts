/**
 * Set-up shared by the fake's own tests: a fake with one bot, closed in
 * t.after, a one-line Bot API call against it, and reading updates the way
 * the bot would.
 */
import { randomInt } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { Update } from 'grammy/types';
import { callBotApi, type BotApiAnswer } from './client.js';
import { createFakeTelegram } from './server.js';
import type { FakeTelegram, FakeTelegramOptions, FakeUser } from './types.js';

/** A fake with one bot, and a call helper bound to its token. */
export interface FakeFixture {
  fake: FakeTelegram;
  token: string;
  botId: number;
  call(method: string, params?: Record<string, unknown>, signal?: AbortSignal): Promise<BotApiAnswer>;
}

/** Users to act as in tests. */
export const ANN: FakeUser = { id: 5001, first_name: 'Ann', username: 'ann', language_code: 'en' };
export const BOB: FakeUser = { id: 5002, first_name: 'Bob' };

/** The body of a successful answer, or a failure naming the error. */
export function resultOf<T>(answer: BotApiAnswer): T {
  if (!answer.body.ok) throw new Error(`expected ok, got ${answer.status} ${answer.body.description}`);
  return answer.body.result as T;
}

/** getUpdates as the bot calls it (a 1 s long poll at most); confirms nothing unless given an offset. */
export async function takeUpdates(fixture: FakeFixture, params: Record<string, unknown> = {}): Promise<Update[]> {
  return resultOf<Update[]>(await fixture.call('getUpdates', { timeout: 1, ...params }));
}

/** Starts a fake with a bot; everything is closed after the test. */
export async function startFake(t: TestContext, options: FakeTelegramOptions = {}): Promise<FakeFixture> {
  const fake = await createFakeTelegram(options);
  t.after(() => fake.close());
  const botId = randomInt(100_000_000, 2_000_000_000);
  const token = `${botId}:AAtest-${botId}-secret_part`;
  fake.addBot({ token, username: `fixture_${botId}_bot`, firstName: 'Fixture' });
  return { fake, token, botId, call: (method, params = {}, signal) => callBotApi(fake.apiRoot, token, method, params, signal) };
}
