/** The user page's forms: grant, revoke, and the payments table with a Refund form per paid payment. */
import type { Job, Payment, Plan } from '../../paywall/index.js';
import type { ApiUserRecord } from '../api/ports.js';
import { badge, csrfField, dataTable, inputField, notice, selectField, statusBadge } from './components.js';
import { stars, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { planChoices } from './plan-choices.js';
import { standingOf } from './user-status.js';

/** The user page's forms as typed, each with the error that refused it. */
export interface UserForms {
  grant?: { duration: string; planId: string; error?: string };
  extend?: { subscriptionId: string; duration: string; error?: string };
  refund?: { chargeId: string; error?: string };
  revoke?: { error?: string };
}

interface FormsModel {
  now: Date;
  csrf: string;
  record: ApiUserRecord;
  plans: readonly Plan[];
  jobs: readonly Job[];
  hasDefaultChat: boolean;
  forms: UserForms;
}

/** The grant form and, for a user with live access, the revoke form. */
export function accessForms(model: FormsModel): SafeHtml {
  const id = model.record.user.id;
  const grant = model.forms.grant ?? { duration: '30d', planId: model.hasDefaultChat ? '' : String(model.plans.find((p) => p.active)?.id ?? '') };
  const live = standingOf(model.record.subscriptions, model.now).status === 'active';
  const revoke = live
    ? html`<form method="post" action="/users/${id}/revoke" data-confirm="Revoke all of this user's access now? They are removed from the chats." id="revoke-form">${csrfField(model.csrf)}
<p class="hint">Revoke ends every live subscription at once; the removal and a notice follow as jobs.</p>
${model.forms.revoke?.error ? notice('error', model.forms.revoke.error, 'revoke-error') : ''}<div class="actions"><button type="submit" class="button-danger">Revoke</button></div></form>`
    : html`<p class="hint">No live access to revoke.</p>`;
  return html`<section class="card" aria-labelledby="access-title"><h2 id="access-title">Access</h2>
${grant.error ? notice('error', grant.error, 'grant-error') : ''}
<form method="post" action="/users/${id}/grant" id="grant-form">${csrfField(model.csrf)}
${inputField({ id: 'grant-duration', name: 'duration', label: 'Duration', value: grant.duration, required: true, hint: '7d, 12h, 30m, 90s or lifetime; added to the current expiry' })}
${selectField({ id: 'grant-plan', name: 'planId', label: 'Plan', value: grant.planId, choices: planChoices(model.plans, model.hasDefaultChat) })}
<div class="actions"><button type="submit">Grant</button></div></form>
${revoke}</section>`;
}

function refundQueued(jobs: readonly Job[], chargeId: string): boolean {
  return jobs.some((j) => j.type === 'refund' && j.payload.chargeId === chargeId && (j.status === 'queued' || j.status === 'running'));
}

function refundCell(model: FormsModel, payment: Payment): SafeHtml {
  const error = model.forms.refund?.chargeId === payment.chargeId ? model.forms.refund.error : undefined;
  const refusal = error ? notice('error', error, 'refund-error') : '';
  if (payment.status === 'refunded') return html`refunded ${utcTime(payment.refundedAt)}${refusal}`;
  if (refundQueued(model.jobs, payment.chargeId)) return html`${badge('refund queued', 'warn')}${refusal}`;
  return html`<form method="post" action="/users/${payment.userId}/refund" data-confirm="Refund ${payment.amount} Stars? The time this payment bought is taken back." data-charge-id="${payment.chargeId}">${csrfField(model.csrf)}
<input type="hidden" name="chargeId" value="${payment.chargeId}"><button type="submit" class="button-quiet">Refund</button>${refusal}</form>`;
}

function paymentRow(model: FormsModel, payment: Payment): SafeHtml {
  const plan = payment.planId === null ? undefined : model.plans.find((p) => p.id === payment.planId);
  return html`<tr data-charge-id="${payment.chargeId}"><td><code class="charge">${payment.chargeId}</code></td><td>${plan ? plan.title : payment.planId === null ? '—' : `#${payment.planId}`}</td>
<td class="num">${stars(payment.amount)}</td><td>${statusBadge(payment.status)}${payment.isRecurring ? html` ${badge('recurring')}` : ''}</td><td>${utcTime(payment.createdAt)}</td><td>${refundCell(model, payment)}</td></tr>`;
}

/** The payments table, newest first, with Refund forms. */
export function paymentsSection(model: FormsModel): SafeHtml {
  return html`<section class="card" aria-labelledby="payments-title"><h2 id="payments-title">Payments</h2>
<p class="hint">A refund returns the Stars and takes back the time that payment bought; access ends only if none is left.</p>
${dataTable({ id: 'user-payments', headers: ['Charge id', 'Plan', 'Amount', 'Status', 'Paid', 'Refund'], rows: model.record.payments.map((p) => paymentRow(model, p)), empty: 'No payments.' })}</section>`;
}
