/**
 * Plain fetch helpers for talking to a fake (or any Bot API root) without
 * grammY: a Bot API call, and a control action for a fake in another process.
 */
import type { ApiResponseBody } from './types.js';

/** The HTTP status and JSON body of a Bot API answer. */
export interface BotApiAnswer {
  status: number;
  body: ApiResponseBody;
}

/** POSTs `params` as JSON to <apiRoot>/bot<token>/<method>. */
export async function callBotApi(
  apiRoot: string, token: string, method: string, params: Record<string, unknown> = {}, signal?: AbortSignal,
): Promise<BotApiAnswer> {
  const res = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, body: (await res.json()) as ApiResponseBody };
}

/** POSTs a control action (see control.ts) and returns its result; throws on { ok: false }. */
export async function callControl(apiRoot: string, action: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const res = await fetch(`${apiRoot}/_control/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { ok: boolean; result?: unknown; description?: string };
  if (!answer.ok) throw new Error(`fake-telegram control ${action} failed (${res.status}): ${answer.description}`);
  return answer.result;
}
