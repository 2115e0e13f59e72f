/**
 * The bot's texts as the operator configured them: defaults from the catalog,
 * overridden per language by settings named `text.<lang>.<key>`, rendered
 * with every value escaped and written in the user's language.
 */
import { defaultText, findTextEntry, TEXT_CATALOG, truncateText, type TextEntry } from './catalog.js';
import { checkTelegramHtml, escapeHtml, htmlToPlain } from './html.js';
import type { PlaceholderKind } from './keys.js';
import { isLanguage, LANGUAGES, pickLanguage, type Language } from './language.js';
import { formatDate, formatDuration, formatNumber, placeholdersIn, renderText } from './render.js';

/** The prefix of the settings that hold text overrides. */
export const TEXT_SETTING_PREFIX = 'text.';

/** A placeholder's value: a Date is written as a date in the user's language; null means lifetime or never. */
export type TextValue = string | number | Date | null | undefined;

/** Values for a text's placeholders, by name. */
export type TextValues = Readonly<Record<string, TextValue>>;

/** Why an override was refused: `rule` is stable for code, `error` is for people. */
export type TextOverrideCheck =
  | { ok: true }
  | { ok: false; rule: 'language' | 'key' | 'html' | 'plain' | 'placeholder' | 'length'; error: string };

/** A catalog entry with the operator's overrides, for the settings page. */
export interface TextCatalogItem extends TextEntry {
  readonly overrides: Readonly<Partial<Record<Language, string>>>;
}

/** A stored override that is not used, and why (the default is used instead). */
export interface TextOverrideProblem {
  readonly setting: string;
  readonly error: string;
}

/** The configured texts. */
export interface Texts {
  /** The text as Telegram HTML in `lang`: the override if there is one, else the default. Unknown keys come back as the key itself, visibly. */
  get(lang: Language, key: string, params?: TextValues): string;
  /** The text as plain text (tags dropped, entities decoded, cut to the key's limit): for buttons, invoices, menus. */
  plain(lang: Language, key: string, params?: TextValues): string;
  /** What Telegram should receive for a user with this `language_code`: HTML for messages, plain text for labels. */
  render(languageCode: string | null | undefined, key: string, params?: TextValues): string;
  /** Every text with its defaults and current overrides. */
  catalog(): TextCatalogItem[];
  /** Stored overrides that were refused when loaded. */
  problems(): TextOverrideProblem[];
}

const NEVER: Readonly<Record<Language, string>> = { en: 'never', es: 'nunca' };
const NO_EXPIRY: Readonly<Record<Language, string>> = { en: 'never (lifetime access)', es: 'nunca (acceso de por vida)' };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The setting that holds the override of `key` in `lang`: `text.es.help`. */
export function textSettingKey(lang: Language, key: string): string {
  return `${TEXT_SETTING_PREFIX}${lang}.${key}`;
}

/** The language and key a `text.<lang>.<key>` setting names, or undefined for another setting. */
export function parseTextSettingKey(setting: string): { lang: string; key: string } | undefined {
  const match = /^text\.([^.]+)\.(.+)$/.exec(setting);
  return match ? { lang: match[1]!, key: match[2]! } : undefined;
}

function placeholderList(entry: TextEntry): string {
  const names = Object.keys(entry.placeholders);
  return names.length === 0 ? `${entry.key} takes no placeholders` : `${entry.key} takes ${names.map((n) => `{${n}}`).join(', ')}`;
}

/**
 * Checks an override before it is saved: the language and key exist, the
 * text is valid Telegram HTML, a plain label has no tags, every placeholder
 * is one the key supports, and the fixed text fits the key's length limit.
 */
export function validateTextOverride(key: string, lang: string, value: string): TextOverrideCheck {
  if (!isLanguage(lang)) return { ok: false, rule: 'language', error: `unknown language "${lang}": expected ${LANGUAGES.join(' or ')}` };
  const entry = findTextEntry(key);
  if (!entry) return { ok: false, rule: 'key', error: `unknown text key "${key}"` };
  const html = checkTelegramHtml(value);
  if (!html.ok) return { ok: false, rule: 'html', error: `${key} is not valid Telegram HTML: ${html.error}` };
  const tag = /<\/?[a-zA-Z][a-zA-Z0-9-]*/.exec(value);
  if (entry.format === 'plain' && tag) {
    return { ok: false, rule: 'plain', error: `${key} is plain text (a button, invoice or menu label): remove the tag ${tag[0]}>` };
  }
  const unknown = placeholdersIn(value).filter((name) => !Object.hasOwn(entry.placeholders, name));
  if (unknown.length > 0) {
    return { ok: false, rule: 'placeholder', error: `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}: ${placeholderList(entry)}` };
  }
  const fixed = htmlToPlain(value.replace(/\{[a-zA-Z][a-zA-Z0-9_]*\}/g, '')).trim().length;
  if (entry.maxLength !== undefined && fixed > entry.maxLength) {
    return { ok: false, rule: 'length', error: `${key} is too long: ${fixed} characters without its placeholders, at most ${entry.maxLength}` };
  }
  return { ok: true };
}

function isDateLike(value: TextValue): value is Date | string {
  return value instanceof Date || (typeof value === 'string' && ISO_DATE.test(value));
}

/** Writes one value the way its placeholder kind asks, in `lang`. */
function formatValue(kind: PlaceholderKind, value: TextValue, lang: Language): string {
  if (value === undefined) return '';
  if (value === null) return kind === 'expiry' ? NO_EXPIRY[lang] : kind === 'date' ? NEVER[lang] : kind === 'duration' ? formatDuration(null, lang) : '';
  if ((kind === 'date' || kind === 'expiry') && isDateLike(value)) return formatDate(new Date(value), lang);
  if (value instanceof Date) return formatDate(value, lang);
  if (typeof value === 'number' && kind === 'duration') return formatDuration(value, lang);
  if (typeof value === 'number' && kind === 'number') return formatNumber(value, lang);
  return String(value);
}

function overridesFrom(settings: ReadonlyMap<string, string>): { table: Map<string, string>; problems: TextOverrideProblem[] } {
  const table = new Map<string, string>();
  const problems: TextOverrideProblem[] = [];
  for (const [setting, value] of settings) {
    const named = parseTextSettingKey(setting);
    if (!named) continue;
    const check = validateTextOverride(named.key, named.lang, value);
    if (check.ok) table.set(setting, value);
    else problems.push({ setting, error: check.error });
  }
  return { table, problems };
}

/**
 * The texts with the operator's overrides: pass the settings (all of them, or
 * those under TEXT_SETTING_PREFIX). Invalid overrides are left out and listed
 * by `problems()`, so a bad row never reaches a user.
 */
export function createTexts(overrides: ReadonlyMap<string, string> = new Map()): Texts {
  const { table, problems } = overridesFrom(overrides);

  function get(lang: Language, key: string, params: TextValues = {}): string {
    const entry = findTextEntry(key);
    if (!entry) return escapeHtml(key);
    const template = table.get(textSettingKey(lang, entry.key)) ?? defaultText(lang, entry.key);
    const values: Record<string, string> = {};
    // Every placeholder the key supports gets a value ('' when not given), so only typos stay visible.
    for (const [name, kind] of Object.entries(entry.placeholders)) values[name] = formatValue(kind, params[name], lang);
    return renderText(template, values);
  }

  function plain(lang: Language, key: string, params: TextValues = {}): string {
    const text = htmlToPlain(get(lang, key, params)).replace(/[ \t]{2,}/g, ' ').trim();
    const max = findTextEntry(key)?.maxLength;
    return max === undefined ? text : truncateText(text, max);
  }

  return {
    get,
    plain,
    render(languageCode, key, params) {
      const lang = pickLanguage(languageCode);
      return findTextEntry(key)?.format === 'plain' ? plain(lang, key, params) : get(lang, key, params);
    },
    catalog: () =>
      TEXT_CATALOG.map((entry) => {
        const own: Partial<Record<Language, string>> = {};
        for (const lang of LANGUAGES) {
          const value = table.get(textSettingKey(lang, entry.key));
          if (value !== undefined) own[lang] = value;
        }
        return { ...entry, overrides: Object.freeze(own) };
      }),
    problems: () => [...problems],
  };
}
