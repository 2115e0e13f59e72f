/**
 * The in-process controls of a fake: bots, updates, faults, the call
 * record, and the payment and chat controls (payment-actions.ts,
 * chat-actions.ts). server.ts adds the HTTP side (apiRoot, close) to make a
 * FakeTelegram; control.ts exposes the same controls over HTTP.
 */
import type { Message } from 'grammy/types';
import { createChatActions } from './chat-actions.js';
import type { Faults } from './faults.js';
import { createPaymentActions } from './payment-actions.js';
import type { Recorder } from './recorder.js';
import { addBot, requireBot, type FakeState } from './state.js';
import type { FakeTelegram } from './types.js';
import { pushUpdate, userPresses, userSends } from './user-actions.js';

/** Everything but the server's own members. */
export type FakeApi = Omit<FakeTelegram, 'apiRoot' | 'port' | 'close'>;

/** The parts the controls act on. */
export interface FakeApiDeps {
  state: FakeState;
  recorder: Recorder;
  faults: Faults;
  getUpdatesCounts: Map<string, number>;
}

function sameChat(message: Message, chatId: number | string | undefined): boolean {
  if (chatId === undefined) return true;
  if (typeof chatId === 'string' && chatId.startsWith('@')) {
    return 'username' in message.chat && `@${message.chat.username}`.toLowerCase() === chatId.toLowerCase();
  }
  return message.chat.id === Number(chatId);
}

/** Builds the controls over the given parts. */
export function createFakeApi({ state, recorder, faults, getUpdatesCounts }: FakeApiDeps): FakeApi {
  const bot = (token: string) => requireBot(state, token);
  return {
    ...createPaymentActions(state),
    ...createChatActions(state),
    addBot: (options) => ({ ...addBot(state, options).user }),
    revokeToken(token) {
      bot(token).revoked = true;
    },
    pushUpdate: (token, update) => pushUpdate(bot(token), update),
    userSends: (token, options) => userSends(state, bot(token), options),
    userPresses: (token, options) => userPresses(state, bot(token), options),
    pendingUpdates: (token) => bot(token).updates.size(),
    lastConfirmedOffset: (token) => bot(token).updates.lastConfirmedOffset(),
    blockUser(token, userId) {
      bot(token).blocked.add(userId);
    },
    unblockUser(token, userId) {
      bot(token).blocked.delete(userId);
    },
    failNext: (options) => faults.failNext(options),
    setRateLimit: (options) => faults.setRateLimit(options),
    setLatency: (ms) => faults.setLatency(ms),
    dropNext: (options) => faults.dropNext(options),
    setChaos: (options) => faults.setChaos(options),
    chaosStats: () => faults.chaosStats(),
    calls: (filter) => recorder.calls(filter),
    clearCalls: () => recorder.clear(),
    waitForCall: (match, timeoutMs = 5000, options) => recorder.waitFor(match, timeoutMs, options),
    sentMessages: (chatId) =>
      recorder
        .calls({ method: 'sendMessage' })
        .filter((call) => call.status === 200 && call.response?.ok)
        .map((call) => (call.response as { result: Message }).result)
        .filter((message) => sameChat(message, chatId)),
    webhook(token) {
      const hook = bot(token).webhook;
      return hook && { url: hook.url, secretToken: hook.secretToken, allowedUpdates: hook.allowedUpdates && [...hook.allowedUpdates] };
    },
    getUpdatesCount: (token) => getUpdatesCounts.get(token) ?? 0,
    activePolls: (token) => (state.bots.get(token)?.poll ? 1 : 0),
  };
}
