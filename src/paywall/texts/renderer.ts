/** Loading the configured texts from the settings store, for a runtime's composition root. */
import type { SettingsStore } from '../ports.js';
import { createTexts, TEXT_SETTING_PREFIX, type Texts } from './texts.js';

/**
 * Reads the text overrides (`text.<lang>.<key>` settings) once and returns
 * the texts; call it again to pick up edits. The result satisfies the jobs'
 * TextRenderer port.
 */
export async function loadTextRenderer(settings: Pick<SettingsStore, 'list'>): Promise<Texts> {
  return createTexts(await settings.list(TEXT_SETTING_PREFIX));
}
