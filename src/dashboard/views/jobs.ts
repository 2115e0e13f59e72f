/** Jobs as the pages show them: what each does, its state, attempts and last error. */
import type { Job } from '../../paywall/index.js';
import { dataTable, statusBadge } from './components.js';
import { utcTime } from './format.js';
import { html, type SafeHtml } from './html.js';

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** One line saying what a job does, from its type and payload. */
export function describeJob(job: Pick<Job, 'type' | 'payload'>): string {
  const p = job.payload;
  switch (job.type) {
    case 'invite': return `Send invite links${p.reason ? ` (${text(p.reason)})` : ''} for subscription ${text(p.subscriptionId)}`;
    case 'remove': return `Remove from the chats of subscription ${text(p.subscriptionId)}${p.notice ? ', then tell the user' : ''}`;
    case 'refund': return `Refund payment ${text(p.chargeId)}`;
    case 'cancel_subscription': return `Cancel the Star subscription of charge ${text(p.chargeId)}`;
    case 'broadcast': return `Send broadcast ${text(p.broadcastId)}`;
    case 'admin_notice': return `Notify the admins${p.key ? ` (${text(p.key)})` : ''}`;
    case 'message': return `Message the user${p.key ? ` (${text(p.key)})` : ''}`;
    default: return job.type;
  }
}

function row(job: Job, withUser: boolean): SafeHtml {
  const userId = typeof job.payload.userId === 'number' ? job.payload.userId : undefined;
  const user = withUser ? html`<td>${userId !== undefined ? html`<a href="/users/${userId}">${userId}</a>` : '—'}</td>` : '';
  return html`<tr data-job-id="${job.id}" data-job-status="${job.status}"><td class="num">${job.id}</td>${user}<td>${describeJob(job)}</td><td>${statusBadge(job.status)}</td>
<td class="num">${job.attempts} of ${job.maxAttempts}</td><td>${utcTime(job.runAt)}</td><td class="error-text">${job.lastError ?? ''}</td></tr>`;
}

/** A table of jobs; `withUser` adds a column linking each job's user. */
export function jobsTable(jobs: readonly Job[], options: { id: string; empty: string; withUser?: boolean }): SafeHtml {
  const headers = ['Job', ...(options.withUser ? ['User'] : []), 'What', 'State', 'Attempts', 'Due (UTC)', 'Last error'];
  return dataTable({ id: options.id, headers, rows: jobs.map((j) => row(j, options.withUser ?? false)), empty: options.empty });
}
