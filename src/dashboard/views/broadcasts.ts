/** The broadcasts pages: compose with a preview and an audience, the history, and one broadcast's live progress. */
import type { Broadcast } from '../../paywall/index.js';
import { csrfField, dataTable, notice, pageHeader, pagination, selectField, statusBadge, textareaField } from './components.js';
import { formatCount, utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { runtimeDownNotice, type PageView } from './page-view.js';
import { telegramPreview } from './telegram-preview.js';

/** The audiences, by value. */
export const AUDIENCE_CHOICES: ReadonlyArray<readonly [string, string]> = [
  ['active', 'Active subscribers'], ['expired', 'Users whose access ended'], ['all', 'Everyone who started the bot (includes users who never paid)'],
];

/** The compose form as typed, with a preview or the error that refused it. */
export interface ComposeState {
  text: string;
  audience: string;
  /** Set after Preview: the checker's complaint, or undefined when the text is valid. */
  preview?: { problem?: string };
  error?: string;
}

/** Done and failed sends as a share of the total, in whole percent; a finished broadcast is 100%. */
export function broadcastPercent(b: Pick<Broadcast, 'status' | 'total' | 'sent' | 'failed'>): number {
  if (b.status === 'done') return 100;
  if (b.total <= 0) return 0;
  return Math.min(100, Math.floor(((b.sent + b.failed) / b.total) * 100));
}

function progress(b: Broadcast): SafeHtml {
  return html`<progress id="broadcast-progress" max="${Math.max(1, b.total)}" value="${b.status === 'done' ? Math.max(1, b.total) : Math.min(b.total, b.sent + b.failed)}">${broadcastPercent(b)}%</progress>`;
}

function previewBlock(state: ComposeState): SafeHtml | '' {
  if (!state.preview) return '';
  if (state.preview.problem) return notice('error', html`Telegram would refuse this text: ${state.preview.problem}`, 'preview-error');
  return html`<section class="card" aria-labelledby="preview-title"><h2 id="preview-title">Preview</h2><div class="tg-preview" id="broadcast-preview">${telegramPreview(state.text)}</div></section>`;
}

function historyRow(b: Broadcast): SafeHtml {
  return html`<tr data-broadcast-row="${b.id}"><td class="num"><a href="/broadcasts/${b.id}">#${b.id}</a></td><td>${utcTime(b.createdAt)}</td><td>${b.audience}</td><td>${statusBadge(b.status)}</td>
<td class="num">${formatCount(b.sent)} / ${formatCount(b.total)}</td><td class="num">${formatCount(b.failed)}</td><td class="num">${broadcastPercent(b)}%</td></tr>`;
}

/** The compose form and the history. */
export function broadcastsView(model: { csrf: string; state: ComposeState; history: readonly Broadcast[]; page: number; total: number; runtimeRunning: boolean }): PageView {
  const s = model.state;
  return {
    title: 'Broadcasts',
    active: '/broadcasts',
    body: html`${pageHeader('Broadcasts', 'A message to many users at once, sent by the bot runtime within Telegram\'s limits. Users who blocked the bot are left out.')}
${runtimeDownNotice(model.runtimeRunning, 'broadcasts')}
<section class="card" aria-labelledby="compose-title"><h2 id="compose-title">Compose</h2>
${s.error ? notice('error', s.error, 'broadcast-error') : ''}
<form method="post" action="/broadcasts" class="stack" id="broadcast-form">${csrfField(model.csrf)}
${textareaField({ id: 'broadcast-text', name: 'text', label: 'Message (Telegram HTML)', value: s.text, rows: 6, required: true, hint: 'Tags: <b>, <i>, <u>, <s>, <code>, <pre>, <a href="https://…">, <tg-spoiler>, <blockquote>. Write & < > as &amp; &lt; &gt;.' })}
${selectField({ id: 'broadcast-audience', name: 'audience', label: 'Audience', value: s.audience, choices: AUDIENCE_CHOICES })}
<div class="actions"><button type="submit" formaction="/broadcasts/preview" class="button-secondary">Preview</button><button type="submit">Send broadcast</button></div>
</form></section>
${previewBlock(s)}
<section class="card" aria-labelledby="history-title"><h2 id="history-title">History</h2>
${dataTable({ id: 'broadcasts-table', headers: ['Broadcast', 'Created', 'Audience', 'Status', 'Sent', 'Failed', 'Progress'], rows: model.history.map(historyRow), empty: 'No broadcasts yet.' })}
${pagination({ path: '/broadcasts', page: model.page, total: model.total })}</section>`,
  };
}

/** One broadcast: its live progress (updated by app.js, or by a refresh without scripts) and its message. */
export function broadcastDetailView(model: { broadcast: Broadcast; runtimeRunning: boolean }): PageView {
  const b = model.broadcast;
  const live = b.status === 'queued' || b.status === 'running';
  return {
    title: `Broadcast #${b.id}`,
    active: '/broadcasts',
    ...(live ? { refresh: { seconds: 5, url: `/broadcasts/${b.id}` } } : {}),
    body: html`${pageHeader(`Broadcast #${b.id}`, html`Audience: ${AUDIENCE_CHOICES.find(([v]) => v === b.audience)?.[1] ?? b.audience} · created ${utcTime(b.createdAt)} · <a href="/broadcasts">all broadcasts</a>`)}
${live ? runtimeDownNotice(model.runtimeRunning, 'this broadcast') : ''}
<section class="card" id="broadcast" data-broadcast-id="${b.id}" data-status="${b.status}" aria-labelledby="progress-title">
<h2 id="progress-title">Progress <span id="broadcast-status">${statusBadge(b.status)}</span></h2>
<div class="progress-row">${progress(b)}<span id="broadcast-percent" class="percent" aria-live="polite">${broadcastPercent(b)}%</span></div>
<dl class="facts">
<dt>Recipients</dt><dd id="broadcast-total">${formatCount(b.total)}</dd>
<dt>Sent</dt><dd id="broadcast-sent">${formatCount(b.sent)}</dd>
<dt>Failed</dt><dd id="broadcast-failed">${formatCount(b.failed)}</dd>
<dt>Finished</dt><dd id="broadcast-finished">${utcTime(b.finishedAt, live ? 'not yet' : '—')}</dd>
</dl></section>
<section class="card" aria-labelledby="message-title"><h2 id="message-title">Message</h2><div class="tg-preview">${telegramPreview(b.text)}</div></section>`,
  };
}
