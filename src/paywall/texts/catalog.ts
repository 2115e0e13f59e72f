/**
 * The catalog of bot texts: each key with its description, placeholders,
 * format and English and Spanish defaults (see keys.ts and defaults-*.ts),
 * and the safe truncation Telegram's length limits call for.
 */
import { EN_DEFAULTS } from './defaults-en.js';
import { ES_DEFAULTS } from './defaults-es.js';
import { INVOICE_LIMITS, isTextKey, TEXT_KEYS, type TextKey, type TextKeySpec } from './keys.js';
import type { Language } from './language.js';

/** One text of the catalog, as a settings page shows it. */
export interface TextEntry extends TextKeySpec {
  readonly key: TextKey;
  readonly defaults: Readonly<Record<Language, string>>;
}

const DEFAULTS: Readonly<Record<Language, Readonly<Record<TextKey, string>>>> = { en: EN_DEFAULTS, es: ES_DEFAULTS };

/** Every text the bot sends, in settings-page order. */
export const TEXT_CATALOG: readonly TextEntry[] = Object.freeze(
  (Object.keys(TEXT_KEYS) as TextKey[]).map((key) => Object.freeze({ key, ...TEXT_KEYS[key], defaults: Object.freeze({ en: EN_DEFAULTS[key], es: ES_DEFAULTS[key] }) })),
);

/** The catalog entry of `key`, or undefined for a key the bot does not have. */
export function findTextEntry(key: string): TextEntry | undefined {
  return isTextKey(key) ? TEXT_CATALOG.find((entry) => entry.key === key) : undefined;
}

/** The default template of `key` in `lang`. */
export function defaultText(lang: Language, key: TextKey): string {
  return DEFAULTS[lang][key];
}

/**
 * Cuts `text` to at most `max` UTF-16 code units (the strict reading of
 * Telegram's "characters"), ending in "…" when cut. It never splits an emoji
 * or a letter with its accents: it cuts between grapheme clusters.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let kept = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** An invoice title within Telegram's 32 characters. */
export function fitInvoiceTitle(text: string): string {
  return truncateText(text, INVOICE_LIMITS.title);
}

/** An invoice description within Telegram's 255 characters. */
export function fitInvoiceDescription(text: string): string {
  return truncateText(text, INVOICE_LIMITS.description);
}
