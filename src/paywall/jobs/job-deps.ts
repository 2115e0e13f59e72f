/** What job handlers need beyond the domain's deps: Telegram, the texts, a log. */
import type { Log, PaywallDeps } from '../deps.js';
import type { TelegramGateway } from '../telegram-port.js';

/** Values for a text's placeholders: a Date is formatted in the user's language (null: lifetime where a date is expected). */
export type TextParams = Record<string, string | number | Date | null>;

/** Renders a bot text in the user's language (their Telegram language_code), params HTML-escaped. */
export interface TextRenderer {
  render(languageCode: string | null | undefined, key: string, params?: TextParams): string;
}

/** Dependencies of the job runner and its handlers. */
export interface JobDeps extends PaywallDeps {
  readonly gateway: TelegramGateway;
  readonly texts: TextRenderer;
  readonly log: Log;
  /** Names this worker in the job table. */
  readonly workerId: string;
  /** Aborted at shutdown: long jobs (broadcasts) stop between sends and resume after the restart. */
  readonly signal?: AbortSignal;
}
