/** The payments page: filters, a page of payments, and the CSV export of every payment. */
import type { Payment, Plan } from '../../paywall/index.js';
import { badge, dataTable, inputField, pageHeader, pagination, selectField, statusBadge } from './components.js';
import { formatCount, stars, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';

/** What the payments page shows. */
export interface PaymentsModel {
  status: string;
  userId: string;
  page: number;
  total: number;
  payments: readonly Payment[];
  plans: readonly Plan[];
}

function row(payment: Payment, plans: readonly Plan[]): SafeHtml {
  const plan = payment.planId === null ? undefined : plans.find((p) => p.id === payment.planId);
  return html`<tr data-charge-id="${payment.chargeId}"><td>${utcTime(payment.createdAt)}</td><td><a href="/users/${payment.userId}">${payment.userId}</a></td>
<td>${plan ? html`<a href="/plans/${plan.id}">${plan.title}</a>` : payment.planId === null ? '—' : `#${payment.planId}`}</td><td class="num">${stars(payment.amount)}</td>
<td>${statusBadge(payment.status)}${payment.isRecurring ? html` ${badge('recurring')}` : ''}${payment.source === 'reconcile' ? html` ${badge('reconciled')}` : ''}</td><td>${utcTime(payment.refundedAt, '')}</td><td><code class="charge">${payment.chargeId}</code></td></tr>`;
}

/** The payments page. */
export function paymentsView(model: PaymentsModel): PageView {
  const filters = { status: model.status || undefined, userId: model.userId || undefined };
  return {
    title: 'Payments',
    active: '/payments',
    body: html`${pageHeader('Payments', `${formatCount(model.total)} matching, newest first. Amounts in Stars; times in UTC. Refunds are made from the user's page.`)}
<form method="get" action="/payments" class="filters">
${selectField({ id: 'payment-status', name: 'status', label: 'Status', value: model.status, choices: [['', 'Any status'], ['paid', 'Paid'], ['refunded', 'Refunded']] })}
${inputField({ id: 'payment-user', name: 'userId', label: 'User id', value: model.userId, attrs: html` inputmode="numeric" pattern="[0-9]*"` })}
<div class="actions"><button type="submit">Filter</button>${model.status || model.userId ? html` <a href="/payments">Clear</a>` : ''}</div></form>
<p class="export"><a class="button button-secondary" href="/api/payments?format=csv" download>Export CSV</a> <small class="hint">Every payment (not only this page), with the buyers' names.</small></p>
${dataTable({ id: 'payments-table', headers: ['Paid', 'User', 'Plan', 'Amount', 'Status', 'Refunded', 'Charge id'], rows: model.payments.map((p) => row(p, model.plans)), empty: 'No payment matches.' })}
${pagination({ path: '/payments', page: model.page, total: model.total, filters })}`,
  };
}
