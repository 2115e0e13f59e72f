/** The overview page: the KPIs, the revenue chart, the bot status card and a pointer to the warnings. */
import type { ApiBotStatus, ApiStats } from '../api/ports.js';
import type { OverviewExtras } from '../pages/ports.js';
import { botStatusCard, type JobQueueSummary } from './bot-status-card.js';
import { notice, pageHeader } from './components.js';
import { formatCount, formatUtc, plural } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';
import { revenueChart } from './revenue-chart.js';

/** What the overview shows. */
export interface OverviewModel {
  now: Date;
  stats: ApiStats;
  extras: OverviewExtras;
  bot: ApiBotStatus;
  jobs: JobQueueSummary;
  warningCount: number;
}

function kpi(id: string, label: string, value: number, unit?: string, note?: string): SafeHtml {
  return html`<div class="kpi"><dt>${label}</dt><dd><span class="kpi-value" id="${id}" data-value="${value}">${formatCount(value)}</span>${unit ? html` <span class="unit">${unit}</span>` : ''}${note ? html`<small>${note}</small>` : ''}</dd></div>`;
}

/** The overview page. */
export function overviewView(model: OverviewModel): PageView {
  const { stats, extras } = model;
  const warnings = model.warningCount > 0
    ? notice('warn', html`<a href="/warnings">${plural(model.warningCount, 'warning')}</a> need${model.warningCount === 1 ? 's' : ''} your attention.`, 'warnings-summary')
    : '';
  return {
    title: 'Overview',
    active: '/',
    body: html`${pageHeader('Overview', `As of ${formatUtc(model.now)}. Days are UTC days; revenue is in Stars, net of refunds.`)}
${warnings}
<dl class="kpis" aria-label="Key numbers">
${kpi('kpi-active', 'Active subscribers', stats.activeSubscribers)}
${kpi('kpi-revenue-today', 'Revenue today', stats.revenueToday, 'Stars')}
${kpi('kpi-revenue-30d', 'Revenue, 30 days', stats.revenue30d, 'Stars')}
${kpi('kpi-revenue-all', 'Revenue, all time', stats.revenueStars, 'Stars')}
${kpi('kpi-new-30d', 'New subscribers, 30 days', extras.newSubscribers30d)}
${kpi('kpi-churned-30d', 'Churned, 30 days', extras.churned30d)}
${kpi('kpi-users', 'Users', stats.users)}
${kpi('kpi-payments', 'Payments', stats.payments, undefined, `${formatCount(stats.refunds)} refunded`)}
</dl>
<div class="grid-2">
<section class="card" aria-labelledby="revenue-title"><h2 id="revenue-title">Revenue, last ${extras.revenueByDay.length} days</h2>${revenueChart(extras.revenueByDay)}</section>
${botStatusCard(model.bot, model.jobs)}
</div>`,
  };
}
