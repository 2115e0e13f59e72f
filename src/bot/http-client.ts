/**
 * The `fetch` grammY calls the Bot API with. grammY's default in Node is
 * node-fetch over node:http, which costs the bot about as much CPU per call
 * as the rest of a /start; undici's request API (Node's own HTTP client, kept
 * by the Node.js team) on a keep-alive pool costs much less, which is what a
 * burst of thousands of /starts needs. paywall sends no files, so every
 * call has a JSON body (grammY builds multipart bodies for uploads only).
 */
import { Agent, request, type Dispatcher } from 'undici';

type Fetch = typeof globalThis.fetch;

/** The part of a fetch Response grammY reads (`json()`), with the status for anyone else. */
interface MinimalResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** Sockets kept open per origin: replies, sends and the long poll go at once. */
const CONNECTIONS = 64;

/** Builds a fetch over one keep-alive pool. */
export function createTelegramFetch(): Fetch {
  const dispatcher: Dispatcher = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
  const call = async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]): Promise<MinimalResponse> => {
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('The Bot API client sends JSON bodies only (no file uploads)');
    const response = await request(String(input), {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init?.headers as Record<string, string> | undefined,
      body: body ?? undefined,
      signal: init?.signal ?? undefined,
      dispatcher,
    });
    return {
      ok: response.statusCode >= 200 && response.statusCode < 300,
      status: response.statusCode,
      json: () => response.body.json(),
      text: () => response.body.text(),
    };
  };
  return call as unknown as Fetch;
}
