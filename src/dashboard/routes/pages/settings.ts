/**
 * The bot texts: `GET /settings` and `POST /settings/texts` (fields key, lang,
 * value, action save or reset). A text is checked by validateTextOverride
 * before it is stored; a refused one is not stored and comes back with the
 * checker's message. Each change is recorded in the audit log.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { createTexts, defaultText, findTextEntry, isLanguage, TEXT_SETTING_PREFIX, textSettingKey, validateTextOverride } from '../../../paywall/index.js';
import { badRequest } from '../../api/http-errors.js';
import type { PageBackend, PagesDeps } from '../../pages/deps.js';
import { settingsView, textAnchor, type TextFormState } from '../../views/settings.js';
import { actorOf, backendOf, csrfOf, fieldOf, formOf, redirectDone, sendPage } from './page-context.js';

async function renderSettings(ctx: Context, backend: PageBackend, typed?: TextFormState): Promise<void> {
  const texts = createTexts(await backend.paywall.store.settings.list(TEXT_SETTING_PREFIX));
  const view = settingsView({ csrf: csrfOf(ctx), items: texts.catalog(), problems: texts.problems(), ...(typed ? { typed } : {}) });
  sendPage(ctx, view, typed ? { status: 400 } : {});
}

/** Stores (or, for the default text itself, clears) an override, or clears it for a reset; the audit entry goes with it. */
async function writeText(backend: PageBackend, actor: string, key: string, lang: 'en' | 'es', value: string | undefined): Promise<void> {
  const setting = textSettingKey(lang, key);
  const { store, clock } = backend.paywall;
  await store.transaction(async (tx) => {
    if (value === undefined || value === defaultText(lang, findTextEntry(key)!.key)) await tx.settings.delete(setting);
    else await tx.settings.set(setting, value);
    const details = value === undefined ? { change: 'reset' } : { change: 'save', length: value.length, value: value.length > 200 ? `${value.slice(0, 200)}…` : value };
    await tx.audit.record({ actor, action: 'settings', target: setting, details }, clock.now());
  });
}

/** The settings router. */
export function settingsRouter(deps: PagesDeps): Router {
  const router = new Router();
  router.get('/settings', async (ctx) => {
    await renderSettings(ctx, backendOf(deps));
  });
  router.post('/settings/texts', async (ctx) => {
    const backend = backendOf(deps);
    const form = formOf(ctx);
    const key = fieldOf(form, 'key');
    const lang = fieldOf(form, 'lang');
    const action = fieldOf(form, 'action') || 'save';
    if (!findTextEntry(key)) throw badRequest(`There is no bot text "${key.slice(0, 60)}".`);
    if (!isLanguage(lang)) throw badRequest('lang must be en or es.');
    if (action !== 'save' && action !== 'reset') throw badRequest('action must be save or reset.');
    if (action === 'reset') {
      await writeText(backend, actorOf(ctx), key, lang, undefined);
      redirectDone(ctx, '/settings', 'text-reset', textAnchor(key));
      return;
    }
    const value = fieldOf(form, 'value');
    const check = validateTextOverride(key, lang, value);
    if (!check.ok) {
      await renderSettings(ctx, backend, { key, lang, value, error: check.error });
      return;
    }
    await writeText(backend, actorOf(ctx), key, lang, value);
    redirectDone(ctx, '/settings', 'text-saved', textAnchor(key));
  });
  return router;
}
