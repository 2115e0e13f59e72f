/** The audit log page: who did what, to what, when; filtered by action, 50 a page. */
import type { AuditEntry } from '../pages/ports.js';
import { dataTable, pageHeader, pagination, selectField } from './components.js';
import { formatCount, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';

/** The actions the filter offers (others can still be typed into the URL). */
export const AUDIT_ACTIONS: readonly string[] = ['grant', 'revoke', 'refund', 'broadcast', 'plan', 'settings', 'login', 'logout', 'password'];

const TARGET_LINKS: ReadonlyArray<readonly [RegExp, (id: string) => string]> = [
  [/^user:(\d+)$/, (id) => `/users/${id}`],
  [/^plan:(\d+)$/, (id) => `/plans/${id}`],
  [/^broadcast:(\d+)$/, (id) => `/broadcasts/${id}`],
];

function target(value: string | null): SafeHtml | string {
  if (!value) return '—';
  for (const [pattern, link] of TARGET_LINKS) {
    const m = pattern.exec(value);
    if (m) return html`<a href="${link(m[1]!)}">${value}</a>`;
  }
  return value;
}

/** Details as `key: value` pairs, values as compact JSON. */
export function detailsText(details: Record<string, unknown> | null): string {
  if (!details) return '';
  return Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

function row(entry: AuditEntry): SafeHtml {
  return html`<tr data-audit-id="${entry.id}"><td>${utcTime(entry.createdAt)}</td><td>${entry.actor}</td><td><code>${entry.action}</code></td><td>${target(entry.target)}</td><td class="details">${detailsText(entry.details)}</td></tr>`;
}

/** The audit log page. */
export function auditView(model: { action: string; page: number; total: number; entries: readonly AuditEntry[] }): PageView {
  const actions = AUDIT_ACTIONS.includes(model.action) || !model.action ? AUDIT_ACTIONS : [...AUDIT_ACTIONS, model.action];
  return {
    title: 'Audit log',
    active: '/audit',
    body: html`${pageHeader('Audit log', `${formatCount(model.total)} entries, newest first. Times in UTC.`)}
<form method="get" action="/audit" class="filters">
${selectField({ id: 'audit-action', name: 'action', label: 'Action', value: model.action, choices: [['', 'Every action'], ...actions.map((a) => [a, a] as const)] })}
<div class="actions"><button type="submit">Filter</button>${model.action ? html` <a href="/audit">Clear</a>` : ''}</div></form>
${dataTable({ id: 'audit-table', headers: ['When', 'Who', 'Action', 'Target', 'Details'], rows: model.entries.map(row), empty: 'No entries.' })}
${pagination({ path: '/audit', page: model.page, total: model.total, filters: { action: model.action || undefined } })}`,
  };
}
