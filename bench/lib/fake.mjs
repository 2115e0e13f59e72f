/**
 * The project's fake Telegram server (dist/test/fake-telegram) for
 * benchmarks. Its rate limiter stays off unless a benchmark turns it on.
 * Every successful sendMessage is reported to listeners with the time it was
 * answered, so benchmarks count answers in O(1) instead of scanning the call
 * log; with `trimCalls` the log is emptied every second so that its linear
 * bookkeeping does not slow the fake down over tens of thousands of calls.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { importDist } from './common.mjs';

/** A fresh bot token shaped like a real one. */
export function makeToken() {
  const botId = randomInt(100_000_000, 2_000_000_000);
  return { token: `${botId}:${randomBytes(27).toString('base64url').slice(0, 35)}`, botId };
}

/** A user for the fake's helpers; some speak Spanish, as real audiences do. */
export function benchUser(id) {
  return { id, first_name: `User${id % 100_000}`, username: `user_${id}`, language_code: id % 5 === 0 ? 'es' : 'en' };
}

/**
 * Starts a fake; closed when the scope closes. Returns the fake, `onSend`
 * (listener(token, chatId, text, at) for each successful sendMessage) and
 * `addBot()` registering a new bot and returning its token.
 */
export async function startFake(scope, { trimCalls = false } = {}) {
  const { createFakeTelegram, BUILT_IN_METHODS } = await importDist('test/fake-telegram/index.js');
  const original = BUILT_IN_METHODS.find((table) => 'sendMessage' in table).sendMessage;
  const listeners = new Set();
  const sendMessage = (ctx) => {
    const message = original(ctx);
    const at = performance.now();
    for (const listener of listeners) listener(ctx.bot.token, message.chat.id, message.text, at);
    return message;
  };
  const fake = await createFakeTelegram({ methods: [{ sendMessage }] });
  let trim;
  if (trimCalls) trim = setInterval(() => fake.clearCalls(), 1000);
  scope.defer(async () => {
    clearInterval(trim);
    await fake.close();
  });
  return {
    fake,
    onSend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    addBot(name = 'bench') {
      const { token, botId } = makeToken();
      fake.addBot({ token, username: `${name}_${botId}_bot`, firstName: 'Bench Bot' });
      return token;
    },
  };
}

/**
 * Records the first answer (sendMessage) in each private chat of `token`,
 * keyed by chat id, with performance.now() times; `pushed` records the push time.
 */
export function answerTracker(env, token) {
  const pushedAt = new Map();
  const answeredAt = new Map();
  const stop = env.onSend((t, chatId, _text, at) => {
    if (t === token && pushedAt.has(chatId) && !answeredAt.has(chatId)) answeredAt.set(chatId, at);
  });
  return {
    pushedAt,
    answeredAt,
    /** Pushes `/start` (or `text`) from user `id` and notes the time. */
    send(id, text = '/start') {
      env.fake.userSends(token, { user: benchUser(id), text });
      pushedAt.set(id, performance.now());
    },
    /** Latencies in ms (answer − push) of every answered chat. */
    latencies() {
      const out = [];
      for (const [id, at] of answeredAt) out.push(at - pushedAt.get(id));
      return out;
    },
    stop,
  };
}
