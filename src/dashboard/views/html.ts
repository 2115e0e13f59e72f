/**
 * HTML by tagged template: every interpolated value is escaped unless it is
 * already SafeHtml (built by `html` itself or, for trusted constant markup,
 * by `trustedHtml`). Arrays are joined; null, undefined and false render as
 * nothing, so `${cond && html`…`}` works.
 */

/** Markup that is safe to emit as is. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for use in element content and quoted attribute values. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]!);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

/** The tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks constant, trusted markup (never user input) as safe. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
