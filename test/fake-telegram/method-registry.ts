/**
 * The registry of Bot API methods. Each methods-*.ts file exports a table of
 * handlers; a handler gets the bot, the request's parameters and the fake's
 * state, and returns the method's result or throws an ApiError. Method names
 * are matched without case, as Telegram does.
 */
import type { BotState } from './bot-state.js';
import type { Params } from './read-params.js';
import type { FakeState } from './state.js';

/** What a handler receives. */
export interface MethodContext {
  bot: BotState;
  params: Params;
  fake: FakeState;
  /** The method's canonical name. */
  method: string;
  /** Aborted when the client goes away or the server closes (long polls stop on it). */
  signal: AbortSignal;
}

/** A Bot API method: its result (or a promise of it), or a thrown ApiError. */
export type MethodHandler = (ctx: MethodContext) => unknown;

/** Handlers by canonical method name. */
export type MethodTable = Readonly<Record<string, MethodHandler>>;

/** A result that Telegram sends with a `description` beside it ("Webhook was set"). */
export class DescribedResult {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** A registered method. */
export interface RegisteredMethod {
  name: string;
  handler: MethodHandler;
}

/** Merges tables (later ones win) into a lookup keyed by lower-case name. */
export function createMethodRegistry(tables: readonly MethodTable[]): Map<string, RegisteredMethod> {
  const registry = new Map<string, RegisteredMethod>();
  for (const table of tables) {
    for (const [name, handler] of Object.entries(table)) registry.set(name.toLowerCase(), { name, handler });
  }
  return registry;
}
