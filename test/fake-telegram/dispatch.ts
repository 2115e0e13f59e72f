/**
 * Answers one Bot API request, in Telegram's order: record it, wait out the
 * injected latency, check the token (401) and the method (404), apply an
 * injected fault, a dropped connection or random fault (chaos.ts) or the rate
 * limit, run the handler, and answer in Telegram's JSON shape with the
 * matching HTTP status (or cut the connection, recorded as 444).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, methodNotFound, unauthorized } from './api-error.js';
import { DropConnection, DROPPED } from './chaos.js';
import type { Faults } from './faults.js';
import { PollAbandoned } from './long-poll.js';
import { DescribedResult, type RegisteredMethod } from './method-registry.js';
import { readParams, type Params } from './read-params.js';
import type { Recorder } from './recorder.js';
import type { FakeState } from './state.js';
import type { ApiResponseBody, RecordedCall } from './types.js';

/** Status recorded when the client went away before its answer (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** What the dispatcher works with. */
export interface DispatchDeps {
  state: FakeState;
  recorder: Recorder;
  faults: Faults;
  methods: Map<string, RegisteredMethod>;
  /** getUpdates requests per token, whatever their outcome. */
  getUpdatesCounts: Map<string, number>;
  /** One controller per request being answered; close() aborts them all. */
  inFlight: Set<AbortController>;
}

/** Writes a JSON answer unless the client is gone; returns whether it was written. */
export function sendJson(res: ServerResponse, status: number, body: unknown): boolean {
  if (res.destroyed || res.writableEnded) return false;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

async function run(deps: DispatchDeps, token: string, methodName: string, params: Params, signal: AbortSignal): Promise<ApiResponseBody> {
  const latency = deps.faults.latency();
  if (latency > 0) await delay(latency, undefined, { signal });
  const bot = deps.state.bots.get(token);
  if (!bot || bot.revoked) throw unauthorized();
  const method = deps.methods.get(methodName.toLowerCase());
  if (!method) throw methodNotFound();
  const fault = deps.faults.takeFault(token, method.name);
  if (fault) throw fault;
  const chaos = deps.faults.decide(token, method.name);
  if (chaos?.kind === 'error') throw chaos.error;
  if (chaos?.kind === 'latency') await delay(chaos.ms, undefined, { signal });
  if (chaos?.kind === 'drop' && !chaos.after) throw new DropConnection(false);
  const limited = deps.faults.checkRateLimit(token, method.name, params['chat_id'], deps.state.now());
  if (limited) throw limited;
  const value = await method.handler({ bot, params, fake: deps.state, method: method.name, signal });
  const body: ApiResponseBody = value instanceof DescribedResult
    ? { ok: true, result: value.result, description: value.description }
    : { ok: true, result: value };
  if (chaos?.kind === 'drop') throw new DropConnection(true, body);
  return body;
}

function failure(error: unknown): { status: number; body: ApiResponseBody } {
  if (error instanceof ApiError) return { status: error.errorCode, body: error.toBody() };
  // A bug in the fake: say so in the answer rather than printing anything.
  const detail = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { ok: false, error_code: 500, description: `Internal Server Error: fake-telegram: ${detail}` } };
}

/** Handles POST|GET /bot<token>/<method>. */
export async function dispatchApiRequest(
  deps: DispatchDeps, req: IncomingMessage, res: ServerResponse, url: URL, token: string, methodName: string,
): Promise<void> {
  const at = deps.state.now();
  const canonical = deps.methods.get(methodName.toLowerCase())?.name ?? methodName;
  if (canonical === 'getUpdates') deps.getUpdatesCounts.set(token, (deps.getUpdatesCounts.get(token) ?? 0) + 1);
  // Aborted when the client goes away before its answer, or by close().
  const controller = new AbortController();
  const signal = controller.signal;
  deps.inFlight.add(controller);
  res.on('close', () => {
    deps.inFlight.delete(controller);
    if (!res.writableFinished) controller.abort();
  });

  let call: RecordedCall | undefined;
  let status: number;
  let body: ApiResponseBody;
  try {
    let params: Params = {};
    try {
      params = await readParams(req, url);
    } finally {
      call = deps.recorder.record(token, canonical, params, at);
    }
    body = await run(deps, token, methodName, params, signal);
    status = 200;
  } catch (error) {
    if (error instanceof DropConnection && !signal.aborted) {
      // No answer at all: the client sees its connection reset. After the method ran, keep what it would have answered.
      req.socket.destroy();
      if (call) deps.recorder.complete(call, DROPPED, error.body);
      return;
    }
    if (error instanceof PollAbandoned || signal.aborted) {
      if (call) deps.recorder.complete(call, CLIENT_CLOSED, undefined);
      return;
    }
    ({ status, body } = failure(error));
  }
  const written = sendJson(res, status, body);
  deps.recorder.complete(call!, written ? status : CLIENT_CLOSED, written ? body : undefined);
}
