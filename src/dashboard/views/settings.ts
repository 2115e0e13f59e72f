/**
 * The settings page: every bot text in English and Spanish with its
 * description, placeholders and limits, the current value (the operator's
 * override or the default), Save and Reset to default. A refused text comes
 * back with the checker's message and what was typed.
 */
import { LANGUAGES, type Language, type TextCatalogItem, type TextOverrideProblem } from '../../paywall/index.js';
import { badge, csrfField, notice, pageHeader } from './components.js';
import { html, type SafeHtml } from './html.js';
import type { PageView } from './page-view.js';

/** A text form as typed, with the error that refused it. */
export interface TextFormState {
  key: string;
  lang: string;
  value: string;
  error: string;
}

const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', es: 'Spanish (español)' };

/** The element id of a text's section, from its key (`start.greeting` → `text-start-greeting`). */
export function textAnchor(key: string): string {
  return `text-${key.replace(/[^a-zA-Z0-9]/g, '-')}`;
}

function languageForm(csrf: string, item: TextCatalogItem, lang: Language, typed: TextFormState | undefined): SafeHtml {
  const id = `${textAnchor(item.key)}-${lang}`;
  const override = item.overrides[lang];
  const value = typed ? typed.value : (override ?? item.defaults[lang]);
  return html`<form method="post" action="/settings/texts" class="text-form" id="${id}-form">${csrfField(csrf)}
<input type="hidden" name="key" value="${item.key}"><input type="hidden" name="lang" value="${lang}">
<label for="${id}">${LANGUAGE_NAMES[lang]} ${override === undefined ? badge('default') : badge('customised', 'ok')}</label>
<textarea id="${id}" name="value" rows="${Math.min(12, Math.max(2, value.split('\n').length + 1))}"${typed ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${value}</textarea>
${typed ? notice('error', typed.error, `${id}-error`) : ''}
<div class="actions"><button type="submit" name="action" value="save">Save</button>${override === undefined ? '' : html`<button type="submit" name="action" value="reset" class="button-quiet">Reset to default</button>`}</div></form>`;
}

function entry(csrf: string, item: TextCatalogItem, typed: TextFormState | undefined): SafeHtml {
  const names = Object.entries(item.placeholders);
  const format = item.format === 'html' ? 'Telegram HTML' : 'plain text (no tags)';
  return html`<section class="card text-entry" id="${textAnchor(item.key)}" data-text-key="${item.key}"><h2><code>${item.key}</code></h2>
<p>${item.description}</p>
<p class="hint">Format: ${format}${item.maxLength !== undefined ? `, at most ${item.maxLength} characters` : ''}. Placeholders: ${names.length === 0 ? 'none' : names.map(([n, kind], i) => html`${i > 0 ? ', ' : ''}<code>{${n}}</code> (${kind})`)}.</p>
<div class="grid-2">${LANGUAGES.map((lang) => languageForm(csrf, item, lang, typed && typed.key === item.key && typed.lang === lang ? typed : undefined))}</div></section>`;
}

function problemsBlock(problems: readonly TextOverrideProblem[]): SafeHtml | '' {
  if (problems.length === 0) return '';
  return notice('warn', html`<strong>Stored texts the bot refuses (it sends the default instead):</strong><ul>${problems.map((p) => html`<li><code>${p.setting}</code>: ${p.error}</li>`)}</ul>`, 'text-problems');
}

function contents(items: readonly TextCatalogItem[]): SafeHtml {
  const groups = new Map<string, TextCatalogItem[]>();
  for (const item of items) {
    const group = item.key.split('.')[0]!;
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return html`<nav class="card toc" aria-label="Texts"><h2>Texts</h2><ul>${[...groups].map(([group, list]) => html`<li><strong>${group}</strong>: ${list.map((item, i) => html`${i > 0 ? ', ' : ''}<a href="#${textAnchor(item.key)}">${item.key.slice(group.length + 1) || item.key}</a>${Object.keys(item.overrides).length > 0 ? ' ✎' : ''}`)}</li>`)}</ul></nav>`;
}

/** The settings page. */
export function settingsView(model: { csrf: string; items: readonly TextCatalogItem[]; problems: readonly TextOverrideProblem[]; typed?: TextFormState }): PageView {
  return {
    title: 'Settings',
    active: '/settings',
    body: html`${pageHeader('Bot texts', 'Every text the bot sends, in English and Spanish (users get Spanish when their Telegram language is Spanish, English otherwise). Texts are checked when saved. A running bot picks edits up at its next start.')}
${model.typed ? notice('error', html`Not saved: <a href="#${textAnchor(model.typed.key)}-${model.typed.lang}">${model.typed.key} (${model.typed.lang})</a>: ${model.typed.error}`, 'settings-error') : ''}
${problemsBlock(model.problems)}
${contents(model.items)}
${model.items.map((item) => entry(model.csrf, item, model.typed))}`,
  };
}
