/** The upcoming removals page: who the next sweeps remove, from which chat, and when. */
import type { UpcomingRemoval } from '../pages/ports.js';
import { badge, dataTable, pageHeader, pagination, selectField } from './components.js';
import { formatCount, formatSpan, userLink, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { runtimeDownNotice, type PageView } from './page-view.js';

/** The windows the page offers, by query value. */
export const REMOVAL_WINDOWS: ReadonlyArray<readonly [value: string, label: string, ms: number]> = [
  ['1d', 'Next 24 hours', 86_400_000], ['7d', 'Next 7 days', 7 * 86_400_000], ['30d', 'Next 30 days', 30 * 86_400_000],
];

/** What the removals page shows. */
export interface RemovalsModel {
  now: Date;
  window: string;
  graceMs: number;
  page: number;
  total: number;
  items: readonly UpcomingRemoval[];
  runtimeRunning: boolean;
}

function row(item: UpcomingRemoval, now: Date): SafeHtml {
  const user = { id: item.userId, firstName: item.firstName, lastName: item.lastName, username: item.username };
  const due = item.removeAt.getTime() <= now.getTime() ? html` ${badge('due: next sweep', 'warn')}` : '';
  return html`<tr data-user-id="${item.userId}" data-chat-id="${item.chatId}"><td>${userLink(user)}</td><td>${item.planTitle ?? (item.planId === null ? 'Grant' : `#${item.planId}`)}</td>
<td>${item.chatTitle ? html`${item.chatTitle} <span class="muted">${item.chatId}</span>` : item.chatId}</td><td>${utcTime(item.expiresAt)}</td><td><span data-remove-at="${item.removeAt.toISOString()}">${utcTime(item.removeAt)}</span>${due}</td></tr>`;
}

/** The removals page. */
export function removalsView(model: RemovalsModel): PageView {
  const grace = model.graceMs > 0 ? `${formatSpan(model.graceMs)} after expiry (PAYWALL_GRACE)` : 'at expiry (PAYWALL_GRACE is 0)';
  return {
    title: 'Upcoming removals',
    active: '/removals',
    body: html`${pageHeader('Upcoming removals', `Members whose access ends are removed ${grace}, by the first sweep after that. Times in UTC.`)}
${runtimeDownNotice(model.runtimeRunning, 'removals')}
<form method="get" action="/removals" class="filters">
${selectField({ id: 'window', name: 'window', label: 'Removal within', value: model.window, choices: REMOVAL_WINDOWS.map(([v, l]) => [v, l] as const) })}
<div class="actions"><button type="submit">Show</button></div></form>
<p>${formatCount(model.total)} removal${model.total === 1 ? '' : 's'} due.</p>
${dataTable({ id: 'removals-table', headers: ['User', 'Plan', 'Chat', 'Access ends', 'Removal'], rows: model.items.map((i) => row(i, model.now)), empty: 'Nobody is due for removal in this window.' })}
${pagination({ path: '/removals', page: model.page, total: model.total, filters: { window: model.window } })}`,
  };
}
