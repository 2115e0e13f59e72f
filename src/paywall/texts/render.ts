/** Filling a text's `{placeholders}`, and the words for numbers, durations and dates in each language. */
import { escapeHtml } from './html.js';
import type { Language } from './language.js';

/** Values for renderText: each is HTML-escaped where it lands. */
export type RenderParams = Readonly<Record<string, string | number | undefined>>;

/** A placeholder: `{` a name of letters, digits and `_` `}`. */
const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_]*)\}/g;

const UNITS = [
  { seconds: 86_400, en: ['day', 'days'], es: ['día', 'días'] },
  { seconds: 3600, en: ['hour', 'hours'], es: ['hora', 'horas'] },
  { seconds: 60, en: ['minute', 'minutes'], es: ['minuto', 'minutos'] },
  { seconds: 1, en: ['second', 'seconds'], es: ['segundo', 'segundos'] },
] as const;

const LIFETIME: Readonly<Record<Language, string>> = { en: 'lifetime', es: 'de por vida' };
// en-US, not en-GB: recent ICU abbreviates September as "Sept" in en-GB.
const DATE_LOCALE: Readonly<Record<Language, string>> = { en: 'en-US', es: 'es' };

/**
 * Replaces each `{name}` in `template` with `params[name]`, HTML-escaped
 * (values are often user-supplied: names, titles). A placeholder without a
 * value is left as it is, so a typo shows instead of vanishing.
 */
export function renderText(template: string, params: RenderParams = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return value === undefined ? whole : escapeHtml(String(value));
  });
}

/** The distinct placeholder names a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

// Building an Intl.NumberFormat costs far more than using one.
const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();

/** A number written the language's way (`1,000` / `1000`, `10.000`). */
export function formatNumber(value: number, lang: Language): string {
  let format = NUMBER_FORMATS.get(lang);
  if (!format) NUMBER_FORMATS.set(lang, (format = new Intl.NumberFormat(lang)));
  return format.format(value);
}

/**
 * A duration in words, in the largest unit that divides it exactly:
 * "30 days", "12 hours", "lifetime" / "30 días", "12 horas", "de por vida".
 * `null` is a lifetime plan.
 */
export function formatDuration(seconds: number | null, lang: Language): string {
  if (seconds === null) return LIFETIME[lang];
  const unit = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[UNITS.length - 1];
  const amount = seconds / unit.seconds;
  return `${formatNumber(amount, lang)} ${unit[lang][amount === 1 ? 0 : 1]}`;
}

/** A moment in UTC, day first: "25 Dec 2026, 14:00 UTC" / "25 dic 2026, 14:00 UTC". */
export function formatDate(date: Date, lang: Language): string {
  if (Number.isNaN(date.getTime())) return '?';
  const format = new Intl.DateTimeFormat(DATE_LOCALE[lang], {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC',
  });
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of format.formatToParts(date)) part[type] = value;
  const month = (part.month ?? '').replace(/\.$/, '');
  return `${part.day} ${month} ${part.year}, ${part.hour}:${part.minute} UTC`;
}
