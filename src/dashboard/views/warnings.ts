/** The warnings page: each problem with its fix, the bot's status, and the jobs that failed. */
import type { DashboardWarning, WarningsReport } from '../pages/warnings.js';
import { pageHeader } from './components.js';
import { botStatusCard } from './bot-status-card.js';
import { formatUtc } from './format.js';
import { html, type SafeHtml } from './html.js';
import { jobsTable } from './jobs.js';
import type { PageView } from './page-view.js';

function warningItem(w: DashboardWarning): SafeHtml {
  return html`<li class="warning" data-warning="${w.kind}"><strong>${w.title}</strong>${w.detail ? html`<p>${w.detail}</p>` : ''}${w.fix ? html`<p class="fix"><span class="fix-label">Fix:</span> ${w.fix}</p>` : ''}</li>`;
}

/** The warnings page. */
export function warningsView(model: { now: Date; report: WarningsReport }): PageView {
  const { warnings, bot, jobs } = model.report;
  const list = warnings.length === 0
    ? html`<p class="all-clear" id="no-warnings">No warnings: the bot runtime runs, the bot has its rights in every protected chat, and no job failed.</p>`
    : html`<ul class="warnings" id="warnings">${warnings.map(warningItem)}</ul>`;
  return {
    title: 'Warnings',
    active: '/warnings',
    body: html`${pageHeader('Warnings', `Checked ${formatUtc(model.now)}. Chat rights are as the bot last saw them; paywall doctor checks them afresh.`)}
<section class="card" aria-labelledby="warnings-title"><h2 id="warnings-title">${warnings.length === 0 ? 'All clear' : `${warnings.length} to look at`}</h2>${list}</section>
<div class="grid-2">${botStatusCard(bot, jobs)}
<section class="card" id="failed-jobs" aria-labelledby="failed-title"><h2 id="failed-title">Recently failed jobs</h2>
<p class="hint">Jobs that used all their attempts; the last error says why.</p>
${jobsTable(jobs.recentFailures, { id: 'failed-jobs-table', empty: 'No job has failed.', withUser: true })}</section></div>`,
  };
}
