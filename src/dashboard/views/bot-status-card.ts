/** The bot status card: is a runtime running and receiving updates, where, since when, and the job queue. */
import type { Job } from '../../paywall/index.js';
import type { ApiBotStatus } from '../api/ports.js';
import { badge } from './components.js';
import { formatCount, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';

/** The job queue as the card shows it. */
export interface JobQueueSummary {
  counts: Record<Job['status'], number>;
  oldestQueuedAt: Date | null;
}

function stateBadge(bot: ApiBotStatus): SafeHtml {
  if (!bot.running) return badge('not running', 'bad');
  return bot.healthy ? badge('running, healthy', 'ok') : badge('running, not receiving updates', 'warn');
}

/** The card, `#bot-status` with `data-running` and `data-healthy`. */
export function botStatusCard(bot: ApiBotStatus, jobs: JobQueueSummary): SafeHtml {
  const explain = bot.running
    ? bot.healthy ? '' : html`<p class="hint">The runtime is alive but has not received updates lately: check <code>paywall doctor</code> and the warnings.</p>`
    : html`<p class="hint">No heartbeat in the last 15 seconds. Queued jobs (invites, removals, refunds, broadcasts) wait until a runtime runs: start <code>paywall bot</code> or <code>paywall all</code>.</p>`;
  return html`<section class="card" id="bot-status" data-running="${String(bot.running)}" data-healthy="${String(bot.healthy)}" aria-labelledby="bot-status-title">
<h2 id="bot-status-title">Bot runtime ${stateBadge(bot)}</h2>${explain}
<dl class="facts">
<dt>Mode</dt><dd>${bot.mode ?? '—'}</dd>
<dt>Host / pid</dt><dd>${bot.host ?? '—'}${bot.pid !== null ? html` / ${bot.pid}` : ''}</dd>
<dt>Started</dt><dd>${utcTime(bot.startedAt)}</dd>
<dt>Last update received</dt><dd>${utcTime(bot.lastPollAt)}</dd>
<dt>Conflict episodes (409)</dt><dd>${formatCount(bot.conflicts)}</dd>
<dt>Jobs queued / running / failed</dt><dd><span id="jobs-queued">${formatCount(jobs.counts.queued)}</span> / ${formatCount(jobs.counts.running)} / <a href="/warnings#failed-jobs">${formatCount(jobs.counts.failed)}</a></dd>
<dt>Oldest queued job due</dt><dd>${utcTime(jobs.oldestQueuedAt, 'none queued')}</dd>
</dl>
</section>`;
}
