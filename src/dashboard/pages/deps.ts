/**
 * What the server-rendered pages need: the backend (domain dependencies, the
 * API's read models and the pages' own reads) or nothing while the database
 * is down, the Telegram-HTML check, the removal grace, warnings the
 * composition root worked out at start, and a logger.
 */
import type { Logger } from 'pino';
import type { HtmlCheck } from '../../paywall/index.js';
import type { ApiBackend } from '../api/ports.js';
import type { PageReads } from './ports.js';

/** The backend while the database is reachable. */
export interface PageBackend extends ApiBackend {
  readonly pages: PageReads;
}

/** Dependencies of `pagesRouter`. */
export interface PagesDeps {
  /** The backend, or undefined while the database is unreachable (pages answer 503 then). */
  backend(): PageBackend | undefined;
  /** Checks broadcast text as Telegram HTML: what is wrong, or undefined. */
  checkHtml: HtmlCheck;
  /** PAYWALL_GRACE in milliseconds: how long after expiry a member is removed. */
  graceMs: number;
  /** Problems known at start, shown on the warnings page (e.g. SQLite on an ephemeral disk). */
  staticWarnings: readonly string[];
  logger: Pick<Logger, 'error' | 'warn' | 'info'>;
}
