/**
 * createFakeTelegram: a Bot API server on 127.0.0.1 and a random port that
 * behaves like api.telegram.org for the methods it knows (long polling, 409
 * conflicts, webhooks, messages, Stars payments, channels and invite links,
 * errors), records every call, and lets tests
 * inject updates and faults. It prints nothing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControlRequest } from './control.js';
import { dispatchApiRequest, sendJson, type DispatchDeps } from './dispatch.js';
import { createFakeApi, type FakeApi } from './fake-api.js';
import { createFaults } from './faults.js';
import { POLLING_METHODS } from './long-poll.js';
import { createMethodRegistry } from './method-registry.js';
import { BOT_METHODS } from './methods-bot.js';
import { CHAT_METHODS } from './methods-chats.js';
import { INTERACTION_METHODS } from './methods-interaction.js';
import { INVITE_METHODS } from './methods-invites.js';
import { INVOICE_METHODS } from './methods-invoices.js';
import { MESSAGE_METHODS } from './methods-messages.js';
import { STAR_METHODS } from './methods-stars.js';
import { WEBHOOK_METHODS } from './methods-webhook.js';
import { PRE_CHECKOUT_METHODS } from './pre-checkout.js';
import { createRecorder } from './recorder.js';
import { createFakeState } from './state.js';
import type { FakeTelegram, FakeTelegramOptions } from './types.js';

/** The method tables every fake serves; options.methods come after and may replace them. */
export const BUILT_IN_METHODS = [
  BOT_METHODS, POLLING_METHODS, WEBHOOK_METHODS, MESSAGE_METHODS, INTERACTION_METHODS,
  INVOICE_METHODS, PRE_CHECKOUT_METHODS, STAR_METHODS, CHAT_METHODS, INVITE_METHODS,
] as const;

const API_PATH = /^\/bot([^/]+)\/([^/]+)\/?$/;
const CONTROL_PATH = /^\/_control\/([A-Za-z]+)\/?$/;

function route(deps: DispatchDeps, api: FakeApi, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const apiMatch = API_PATH.exec(url.pathname);
  if (apiMatch) return dispatchApiRequest(deps, req, res, url, decodeURIComponent(apiMatch[1]!), apiMatch[2]!);
  const controlMatch = CONTROL_PATH.exec(url.pathname);
  if (controlMatch) return handleControlRequest(api, req, res, controlMatch[1]!);
  req.resume();
  sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
}

/** Starts a fake on 127.0.0.1 and a free port; close() it when done. */
export async function createFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const state = createFakeState({ now: options.now ?? Date.now, firstUpdateId: options.firstUpdateId ?? 1 });
  const recorder = createRecorder();
  const faults = createFaults();
  const getUpdatesCounts = new Map<string, number>();
  const methods = createMethodRegistry([...BUILT_IN_METHODS, ...(options.methods ?? [])]);
  const inFlight = new Set<AbortController>();
  const deps: DispatchDeps = { state, recorder, faults, methods, getUpdatesCounts, inFlight };
  const api = createFakeApi({ state, recorder, faults, getUpdatesCounts });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    Promise.resolve(route(deps, api, req, res)).catch(() => {
      // Only a broken connection gets here; the client is gone, so there is no one to tell.
      res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const controller of inFlight) controller.abort();
      state.shutdown.abort();
      recorder.close();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };

  return { ...api, apiRoot: `http://127.0.0.1:${port}`, port, close };
}
