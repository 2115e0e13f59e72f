/** The bot's languages and how a Telegram user's `language_code` picks one. */

/** The languages the bot speaks, default first. */
export const LANGUAGES = Object.freeze(['en', 'es'] as const);

/** A language the bot has texts in. */
export type Language = (typeof LANGUAGES)[number];

/** The language used when the user's is not one of ours. */
export const DEFAULT_LANGUAGE: Language = 'en';

/** True when `value` names one of the bot's languages exactly (`en`, `es`). */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language for a Telegram `language_code` (an IETF tag such as `es`,
 * `es-ES`, `es-419`): its primary subtag when we speak it, English otherwise.
 */
export function pickLanguage(languageCode?: string | null): Language {
  const primary = (languageCode ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : DEFAULT_LANGUAGE;
}
