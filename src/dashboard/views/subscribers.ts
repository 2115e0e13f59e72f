/** The subscribers page: search, a status filter, a page of users, and a grant to any user id. */
import type { Plan } from '../../paywall/index.js';
import type { ApiUserRecord } from '../api/ports.js';
import { badge, csrfField, dataTable, inputField, notice, pageHeader, pagination, selectField, statusBadge } from './components.js';
import { formatCount, stars, userLink, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';
import { planChoices } from './plan-choices.js';
import { standingOf } from './user-status.js';

/** The status filter's choices. */
export const USER_STATUS_CHOICES: ReadonlyArray<readonly [string, string]> = [
  ['', 'Any status'], ['active', 'Active'], ['expired', 'Expired'], ['never_paid', 'Never paid'], ['blocked', 'Blocked the bot'],
];

/** The grant-by-id form as typed, with its error. */
export interface GrantByIdForm {
  userId: string;
  duration: string;
  planId: string;
  error?: string;
}

/** What the subscribers page shows. */
export interface SubscribersModel {
  now: Date;
  csrf: string;
  q: string;
  status: string;
  page: number;
  total: number;
  users: readonly ApiUserRecord[];
  plans: readonly Plan[];
  hasDefaultChat: boolean;
  grant: GrantByIdForm;
}

function row(record: ApiUserRecord, now: Date): SafeHtml {
  const standing = standingOf(record.subscriptions, now);
  const paid = record.payments.filter((p) => p.status === 'paid').reduce((sum, p) => sum + p.amount, 0);
  const status = standing.status === 'none' ? badge('never subscribed') : statusBadge(standing.status);
  const until = standing.status === 'active' ? (standing.until ? utcTime(standing.until) : html`lifetime`) : html`—`;
  return html`<tr data-user-id="${record.user.id}"><td>${userLink(record.user)}${record.user.blocked ? html` ${badge('blocked', 'bad')}` : ''}</td>
<td class="num">${record.user.id}</td><td>${status}</td><td>${until}</td><td class="num">${stars(paid)}</td><td>${utcTime(record.user.lastSeenAt, 'never')}</td></tr>`;
}

function grantForm(model: SubscribersModel): SafeHtml {
  const g = model.grant;
  return html`<section class="card" aria-labelledby="grant-id-title"><h2 id="grant-id-title">Grant access to a user id</h2>
<p class="hint">For someone who has not written to the bot yet: they are added, and the bot sends their invite once they start it.</p>
${g.error ? notice('error', g.error, 'grant-error') : ''}
<form method="post" action="/users/grant" class="form-inline" id="grant-by-id-form">${csrfField(model.csrf)}
${inputField({ id: 'grant-user-id', name: 'userId', label: 'Telegram user id', value: g.userId, required: true, attrs: html` inputmode="numeric" pattern="[0-9]+"` })}
${inputField({ id: 'grant-new-duration', name: 'duration', label: 'Duration', value: g.duration, required: true, hint: '7d, 12h, 30m or lifetime' })}
${selectField({ id: 'grant-new-plan', name: 'planId', label: 'Plan', value: g.planId, choices: planChoices(model.plans, model.hasDefaultChat) })}
<div class="actions"><button type="submit">Grant</button></div></form></section>`;
}

/** The subscribers page. */
export function subscribersView(model: SubscribersModel): PageView {
  const filters = { q: model.q || undefined, status: model.status || undefined };
  return {
    title: 'Subscribers',
    active: '/subscribers',
    body: html`${pageHeader('Subscribers', `${formatCount(model.total)} matching. Times in UTC.`)}
<form method="get" action="/subscribers" class="filters" role="search">
${inputField({ id: 'q', name: 'q', label: 'Search', type: 'search', value: model.q, placeholder: 'id, @username or name' })}
${selectField({ id: 'status', name: 'status', label: 'Status', value: model.status, choices: USER_STATUS_CHOICES })}
<div class="actions"><button type="submit">Search</button>${model.q || model.status ? html` <a href="/subscribers">Clear</a>` : ''}</div></form>
${dataTable({ id: 'subscribers-table', headers: ['User', 'Id', 'Status', 'Access until', 'Paid', 'Last seen'], rows: model.users.map((r) => row(r, model.now)), empty: 'No user matches.' })}
${pagination({ path: '/subscribers', page: model.page, total: model.total, filters })}
${grantForm(model)}`,
  };
}
