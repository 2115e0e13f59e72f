/**
 * A user's page: profile, subscriptions (each with an Extend form), grant and
 * revoke, payments (each with a Refund form), and the user's jobs with their
 * state. A refused form comes back with its error and what was typed.
 */
import type { Job, Plan, Subscription } from '../../paywall/index.js';
import type { ApiUserRecord } from '../api/ports.js';
import { badge, csrfField, dataTable, inputField, notice, pageHeader, statusBadge } from './components.js';
import { displayName, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { jobsTable } from './jobs.js';
import { runtimeDownNotice, type PageView } from './page-view.js';
import { accessForms, paymentsSection, type UserForms } from './user-forms.js';
import { shownStatus } from './user-status.js';

export type { UserForms } from './user-forms.js';

/** What the user page shows. */
export interface UserDetailModel {
  now: Date;
  csrf: string;
  record: ApiUserRecord;
  plans: readonly Plan[];
  jobs: readonly Job[];
  runtimeRunning: boolean;
  hasDefaultChat: boolean;
  forms: UserForms;
}

function profile(model: UserDetailModel): SafeHtml {
  const { user } = model.record;
  return html`<section class="card" aria-labelledby="profile-title"><h2 id="profile-title">Profile</h2><dl class="facts" id="profile">
<dt>Telegram id</dt><dd>${user.id}</dd>
<dt>Name</dt><dd>${[user.firstName, user.lastName].filter(Boolean).join(' ') || '—'}</dd>
<dt>Username</dt><dd>${user.username ? `@${user.username}` : '—'}</dd>
<dt>Language</dt><dd>${user.languageCode ?? '—'}</dd>
<dt>Bot</dt><dd>${user.blocked ? badge('blocked the bot: messages to them stop', 'bad') : 'reachable'}</dd>
<dt>First seen</dt><dd>${utcTime(user.firstSeenAt)}</dd>
<dt>Last seen</dt><dd>${utcTime(user.lastSeenAt, 'never wrote to the bot')}</dd>
</dl></section>`;
}

function extendForm(model: UserDetailModel, sub: Subscription): SafeHtml {
  const typed = model.forms.extend?.subscriptionId === String(sub.id) ? model.forms.extend : undefined;
  return html`<form method="post" action="/users/${model.record.user.id}/extend" class="form-inline form-compact">${csrfField(model.csrf)}
<input type="hidden" name="subscriptionId" value="${sub.id}">
${inputField({ id: `extend-${sub.id}-duration`, name: 'duration', label: 'Add', value: typed?.duration ?? '30d', required: true })}
<div class="actions"><button type="submit">Extend</button></div>${typed?.error ? notice('error', typed.error, 'extend-error') : ''}</form>`;
}

function subscriptionRow(model: UserDetailModel, sub: Subscription): SafeHtml {
  const plan = sub.planId === null ? undefined : model.plans.find((p) => p.id === sub.planId);
  const planName = sub.planId === null ? 'Grant (default chat)' : plan ? `${plan.title} (#${plan.id})` : `Plan #${sub.planId}`;
  const expires = sub.expiresAt
    ? html`<span data-expires-at="${sub.expiresAt.toISOString()}">${utcTime(sub.expiresAt)}</span>`
    : html`<span data-expires-at="lifetime">lifetime</span>`;
  return html`<tr data-subscription-id="${sub.id}"><td class="num">${sub.id}</td><td>${sub.planId === null ? planName : html`<a href="/plans/${sub.planId}">${planName}</a>`}</td>
<td>${sub.chatIds.join(', ')}</td><td>${statusBadge(shownStatus(sub, model.now))}</td><td>${utcTime(sub.startsAt)}</td><td>${expires}</td><td>${extendForm(model, sub)}</td></tr>`;
}

/** An extend or refund error whose row is not on the page (an unknown subscription or payment) shows at the top. */
function orphanError(model: UserDetailModel): SafeHtml | '' {
  const { extend, refund } = model.forms;
  if (extend?.error && !model.record.subscriptions.some((s) => String(s.id) === extend.subscriptionId)) return notice('error', extend.error, 'form-error');
  if (refund?.error && !model.record.payments.some((p) => p.chargeId === refund.chargeId)) return notice('error', refund.error, 'form-error');
  return '';
}

/** The user page. */
export function userDetailView(model: UserDetailModel): PageView {
  const { user, subscriptions } = model.record;
  const name = displayName(user);
  return {
    title: name,
    active: '/subscribers',
    body: html`${pageHeader(name, html`User ${user.id}${user.username ? html` · @${user.username}` : ''} · times in UTC · <a href="/payments?userId=${user.id}">payments</a>`)}
${runtimeDownNotice(model.runtimeRunning)}${orphanError(model)}
<div class="grid-2">${profile(model)}${accessForms(model)}</div>
<section class="card" aria-labelledby="subs-title"><h2 id="subs-title">Subscriptions</h2>
<p class="hint">Extend gives more time on the subscription's plan, from its expiry (or from now if it has ended).</p>
${dataTable({ id: 'subscriptions', headers: ['Id', 'Plan', 'Chats', 'Status', 'Started', 'Expires', 'Extend'], rows: subscriptions.map((s) => subscriptionRow(model, s)), empty: 'No subscriptions yet.' })}</section>
${paymentsSection(model)}
<section class="card" aria-labelledby="jobs-title"><h2 id="jobs-title">Telegram work for this user</h2>
<p class="hint">Invites, removals, refunds and messages run as jobs in the bot runtime; newest first.</p>
${jobsTable(model.jobs, { id: 'user-jobs', empty: 'No jobs for this user.' })}</section>`,
  };
}
