/**
 * What a page's view hands the route: its title, the nav entry it belongs
 * to, its body and an optional self-refresh. The route adds the frame (nav
 * with the CSRF token, the flash) and the status.
 */
import { notice } from './components.js';
import { html, type SafeHtml } from './html.js';
import type { Refresh } from './layout.js';

/** A rendered page body with what the frame needs. */
export interface PageView {
  title: string;
  /** The nav path this page belongs to (`/plans` for a plan's page). */
  active: string;
  body: SafeHtml;
  refresh?: Refresh;
}

/** Said on every page that queues Telegram work while no bot runtime is running. */
export function runtimeDownNotice(running: boolean, work = 'invites, removals, refunds and messages'): SafeHtml | '' {
  if (running) return '';
  return notice('warn', html`<strong>No bot runtime is running.</strong> Queued work (${work}) waits until one runs: start <code>paywall bot</code> or <code>paywall all</code>.`, 'runtime-down');
}
