/**
 * Small building blocks the pages share: tables, pagination, labelled form
 * fields, status badges and notices. All markup goes through `html`.
 */
import { html, type SafeHtml } from './html.js';
import { formatCount } from './format.js';

/** The rows every list page shows at once. */
export const PAGE_SIZE = 50;

/** A table with a header row; `empty` is shown in place of no rows. */
export function dataTable(options: { headers: readonly string[]; rows: readonly SafeHtml[]; empty: string; id?: string; caption?: string }): SafeHtml {
  if (options.rows.length === 0) return html`<p class="empty"${options.id ? html` id="${options.id}"` : ''}>${options.empty}</p>`;
  return html`<div class="table-wrap"><table${options.id ? html` id="${options.id}"` : ''}>
${options.caption ? html`<caption>${options.caption}</caption>` : ''}<thead><tr>${options.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${options.rows}</tbody></table></div>`;
}

/** A query string from the filters that are set (empty values left out). */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Previous / next links that keep the page's filters, and where the reader is; nothing when everything fits on the first page. */
export function pagination(options: { path: string; page: number; total: number; filters?: Readonly<Record<string, string | undefined>> }): SafeHtml {
  const pages = Math.max(1, Math.ceil(options.total / PAGE_SIZE));
  if (pages === 1 && options.page === 1) return html``;
  const link = (page: number) => `${options.path}${queryString({ ...options.filters, page: page === 1 ? undefined : page })}`;
  const prev = options.page > 1 ? html`<a rel="prev" href="${link(Math.min(options.page - 1, pages))}">← Previous</a>` : html`<span class="disabled">← Previous</span>`;
  const next = options.page < pages ? html`<a rel="next" href="${link(options.page + 1)}">Next →</a>` : html`<span class="disabled">Next →</span>`;
  return html`<nav class="pagination" aria-label="Pages">${prev}<span class="page-of">${options.page <= pages ? `Page ${formatCount(options.page)} of ${formatCount(pages)}` : `Past the last page (${formatCount(pages)})`} · ${formatCount(options.total)} in all</span>${next}</nav>`;
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** Options of a labelled field. */
export interface FieldOptions {
  id: string;
  name: string;
  label: string;
  value?: string;
  hint?: string;
  type?: 'text' | 'number' | 'search';
  required?: boolean;
  placeholder?: string;
  /** Extra attributes as markup, e.g. html` inputmode="numeric"`. */
  attrs?: SafeHtml;
}

function hint(options: FieldOptions): SafeHtml | '' {
  return options.hint ? html`<small class="hint" id="${options.id}-hint">${options.hint}</small>` : '';
}

/** A labelled one-line input. */
export function inputField(options: FieldOptions): SafeHtml {
  return html`<div class="field"><label for="${options.id}">${options.label}</label>
<input id="${options.id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}"${options.required ? html` required` : ''}${options.placeholder ? html` placeholder="${options.placeholder}"` : ''}${options.hint ? html` aria-describedby="${options.id}-hint"` : ''}${options.attrs ?? ''}>${hint(options)}</div>`;
}

/** A labelled multi-line input. */
export function textareaField(options: FieldOptions & { rows?: number }): SafeHtml {
  return html`<div class="field"><label for="${options.id}">${options.label}</label>
<textarea id="${options.id}" name="${options.name}" rows="${options.rows ?? 3}"${options.required ? html` required` : ''}${options.hint ? html` aria-describedby="${options.id}-hint"` : ''}${options.attrs ?? ''}>${options.value ?? ''}</textarea>${hint(options)}</div>`;
}

/** A labelled select; `value` picks the selected option. */
export function selectField(options: Omit<FieldOptions, 'type' | 'placeholder'> & { choices: ReadonlyArray<readonly [value: string, label: string]> }): SafeHtml {
  const choices = options.choices.map(([value, label]) => html`<option value="${value}"${value === (options.value ?? '') ? html` selected` : ''}>${label}</option>`);
  return html`<div class="field"><label for="${options.id}">${options.label}</label>
<select id="${options.id}" name="${options.name}"${options.hint ? html` aria-describedby="${options.id}-hint"` : ''}>${choices}</select>${hint(options)}</div>`;
}

/** A labelled checkbox. */
export function checkboxField(options: { id: string; name: string; label: string; checked: boolean; hint?: string }): SafeHtml {
  return html`<div class="field field-check"><input type="checkbox" id="${options.id}" name="${options.name}" value="on"${options.checked ? html` checked` : ''}>
<label for="${options.id}">${options.label}</label>${options.hint ? html`<small class="hint">${options.hint}</small>` : ''}</div>`;
}

/** A coloured label for a status word. */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'neutral' = 'neutral'): SafeHtml {
  return html`<span class="badge badge-${tone}">${text}</span>`;
}

/** The tone of a subscription, payment, job or broadcast status. */
export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'neutral' {
  if (['active', 'paid', 'done', 'running'].includes(status)) return 'ok';
  if (['queued', 'expired', 'refunded', 'pending'].includes(status)) return 'warn';
  if (['failed', 'revoked', 'blocked'].includes(status)) return 'bad';
  return 'neutral';
}

/** A status word as a badge in its tone. */
export function statusBadge(status: string): SafeHtml {
  return badge(status, statusTone(status));
}

/** A boxed message: an error the operator must fix, a warning, or information. */
export function notice(kind: 'error' | 'warn' | 'info', body: SafeHtml | string, id?: string): SafeHtml {
  return html`<div class="notice notice-${kind}"${id ? html` id="${id}"` : ''} role="${kind === 'error' ? 'alert' : 'status'}">${body}</div>`;
}

/** A page heading with an optional line below it. */
export function pageHeader(title: string, lead?: SafeHtml | string): SafeHtml {
  return html`<header class="page-header"><h1>${title}</h1>${lead ? html`<p class="lead">${lead}</p>` : ''}</header>`;
}
