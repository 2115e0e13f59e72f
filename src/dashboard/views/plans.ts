/** The plans pages: the list with Disable/Enable, the create form, and one plan's edit form. */
import type { Plan } from '../../paywall/index.js';
import type { PlanFormFields } from '../pages/forms.js';
import { badge, checkboxField, csrfField, dataTable, inputField, notice, pageHeader, pagination, textareaField } from './components.js';
import { stars } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';

/** A plan form as typed, with the error that refused it. */
export interface PlanFormState {
  fields: PlanFormFields;
  error?: string;
}

/** The fields of a plan, for its edit form. */
export function planFormFields(plan?: Plan): PlanFormFields {
  if (!plan) return { title: '', description: '', price: '', duration: '30d', chatIds: '', recurring: false };
  return { title: plan.title, description: plan.description, price: String(plan.price), duration: plan.duration, chatIds: plan.chatIds.join('\n'), recurring: plan.recurring };
}

function activeForm(csrf: string, plan: Plan, from: 'list' | 'plan'): SafeHtml {
  const next = !plan.active;
  const confirm = plan.active ? html` data-confirm="Disable ${plan.title}? It is no longer sold; its subscribers keep their time."` : '';
  return html`<form method="post" action="/plans/${plan.id}/active" class="inline-form"${confirm}>${csrfField(csrf)}<input type="hidden" name="active" value="${String(next)}"><input type="hidden" name="from" value="${from}">
<button type="submit" class="${plan.active ? 'button-quiet' : 'button-secondary'}">${plan.active ? 'Disable' : 'Enable'}</button></form>`;
}

/** The plan form (create or edit). */
export function planForm(options: { csrf: string; action: string; state: PlanFormState; submit: string; defaultChatId: number | undefined }): SafeHtml {
  const f = options.state.fields;
  const chatsHint = options.defaultChatId === undefined
    ? 'One chat id per line or separated by commas, such as -1001234567890.'
    : `One chat id per line or separated by commas; empty uses PAYWALL_CHAT_ID (${options.defaultChatId}).`;
  return html`<form method="post" action="${options.action}" class="stack" id="plan-form">${csrfField(options.csrf)}
${options.state.error ? notice('error', options.state.error, 'plan-error') : ''}
${inputField({ id: 'plan-title', name: 'title', label: 'Title', value: f.title, required: true, attrs: html` maxlength="128"` })}
${textareaField({ id: 'plan-description', name: 'description', label: 'Description', value: f.description, rows: 3, hint: 'Shown to buyers; at most 1024 characters.' })}
<div class="row">
${inputField({ id: 'plan-price', name: 'price', label: 'Price (Stars)', type: 'number', value: f.price, required: true, attrs: html` min="1" max="100000" step="1" inputmode="numeric"` })}
${inputField({ id: 'plan-duration', name: 'duration', label: 'Duration', value: f.duration, required: true, hint: '30d, 12h, 90m or lifetime' })}
</div>
${textareaField({ id: 'plan-chats', name: 'chatIds', label: 'Protected chats', value: f.chatIds, rows: 2, hint: chatsHint })}
${checkboxField({ id: 'plan-recurring', name: 'recurring', label: 'Recurring: Telegram renews it every 30 days', hint: 'Only for a 30d plan.', checked: f.recurring })}
<div class="actions"><button type="submit">${options.submit}</button></div></form>`;
}

function row(csrf: string, plan: Plan): SafeHtml {
  return html`<tr data-plan-id="${plan.id}"><td class="num">${plan.id}</td><td><a href="/plans/${plan.id}">${plan.title}</a></td><td class="num">${stars(plan.price)}</td>
<td>${plan.duration}${plan.recurring ? html` ${badge('recurring')}` : ''}</td><td>${plan.chatIds.join(', ')}</td><td>${plan.active ? badge('on sale', 'ok') : badge('disabled', 'warn')}</td>
<td class="row-actions"><a href="/plans/${plan.id}">Edit</a> ${activeForm(csrf, plan, 'list')}</td></tr>`;
}

/** The plans list and the create form. */
export function plansView(model: { csrf: string; plans: readonly Plan[]; page: number; total: number; create: PlanFormState; defaultChatId: number | undefined }): PageView {
  return {
    title: 'Plans',
    active: '/plans',
    body: html`${pageHeader('Plans', 'What the bot sells. A disabled plan is not sold; its subscribers keep their time.')}
${dataTable({ id: 'plans-table', headers: ['Id', 'Title', 'Price', 'Duration', 'Chats', 'Status', 'Actions'], rows: model.plans.map((p) => row(model.csrf, p)), empty: 'No plans yet: create the first one below.' })}
${pagination({ path: '/plans', page: model.page, total: model.total })}
<section class="card" aria-labelledby="create-title"><h2 id="create-title">Create a plan</h2>
${planForm({ csrf: model.csrf, action: '/plans', state: model.create, submit: 'Create plan', defaultChatId: model.defaultChatId })}</section>`,
  };
}

/** One plan's page: its edit form and Disable/Enable. */
export function planEditView(model: { csrf: string; plan: Plan; state: PlanFormState; defaultChatId: number | undefined }): PageView {
  const { plan } = model;
  return {
    title: `Plan ${plan.title}`,
    active: '/plans',
    body: html`${pageHeader(`Plan #${plan.id}: ${plan.title}`, html`${plan.active ? badge('on sale', 'ok') : badge('disabled', 'warn')} · <a href="/plans">all plans</a>`)}
<section class="card" aria-labelledby="edit-title"><h2 id="edit-title">Edit</h2>
<p class="hint">Changes apply to new purchases; subscriptions keep the time they have. Changing the chats changes which chats future grants and renewals cover.</p>
${planForm({ csrf: model.csrf, action: `/plans/${plan.id}`, state: model.state, submit: 'Save', defaultChatId: model.defaultChatId })}</section>
<section class="card"><h2>${plan.active ? 'Stop selling' : 'Sell again'}</h2>${activeForm(model.csrf, plan, 'plan')}</section>`,
  };
}
