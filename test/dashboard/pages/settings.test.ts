/**
 * The settings page: every text in both languages; a valid text is stored
 * (and audited), an invalid one is refused with the checker's message and
 * not stored, a reset returns to the default, and a stored override the bot
 * would refuse is listed on the page and on the warnings page.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEXT_CATALOG, textSettingKey } from '../../../src/paywall/index.js';
import { testDatabases } from '../../helpers/databases.js';
import { assertCspClean } from './markup.js';
import { ACTOR, startPages } from './pages-fixture.js';

for (const database of await testDatabases()) {
  describe(`settings page (${database.kind})`, () => {
    test('lists every text in both languages with its description and placeholders', async (t) => {
      const f = await startPages(t, database);
      const page = await f.get('/settings');
      for (const entry of TEXT_CATALOG) {
        for (const lang of ['en', 'es']) assert.ok(page.text.includes(`<input type="hidden" name="key" value="${entry.key}"><input type="hidden" name="lang" value="${lang}">`), `${entry.key} (${lang}) has a form`);
      }
      assert.match(page.text, /<code>\{title\}<\/code> \(text\)/, 'placeholders are listed');
      assert.match(page.text, /\/start: the greeting/, 'descriptions are shown');
      assert.match(page.text, /<textarea id="text-start-greeting-en" name="value"[^>]*>👋 &lt;b&gt;Welcome!&lt;\/b&gt;/, 'the default is the current value, escaped');
    });

    test('save, refuse and reset', async (t) => {
      const f = await startPages(t, database);
      const saved = await f.post('/settings/texts', { key: 'help', lang: 'es', value: '<b>Ayuda</b>\r\nEscríbenos.', action: 'save' });
      assert.equal(saved.status, 303);
      assert.equal(saved.headers.get('location'), '/settings?done=text-saved#text-help');
      assert.equal(await f.store.settings.get(textSettingKey('es', 'help')), '<b>Ayuda</b>\nEscríbenos.', 'stored with the line ending normalised');
      const page = await f.get('/settings?done=text-saved');
      assert.match(page.text, /Text saved\. A running bot uses it from its next start\./);
      assert.match(page.text, /<textarea id="text-help-es" name="value"[^>]*>&lt;b&gt;Ayuda&lt;\/b&gt;\nEscríbenos\.<\/textarea>/);
      assert.match(page.text, /value="reset" class="button-quiet">Reset to default<\/button>/);

      const refused = await f.post('/settings/texts', { key: 'help', lang: 'en', value: '<div>Help</div>', action: 'save' });
      assert.equal(refused.status, 400);
      assert.match(refused.text, /help is not valid Telegram HTML: unsupported tag &lt;div&gt;/);
      assert.match(refused.text, /<textarea id="text-help-en" name="value"[^>]*aria-invalid="true"[^>]*>&lt;div&gt;Help&lt;\/div&gt;<\/textarea>/, 'what was typed is kept');
      assertCspClean(refused.text, 'refused text');
      assert.equal(await f.store.settings.get(textSettingKey('en', 'help')), undefined, 'nothing stored');
      const placeholder = await f.post('/settings/texts', { key: 'plans.item', lang: 'en', value: '{title} for {cost}', action: 'save' });
      assert.equal(placeholder.status, 400);
      assert.match(placeholder.text, /unknown placeholder \{cost\}/);

      const reset = await f.post('/settings/texts', { key: 'help', lang: 'es', action: 'reset' });
      assert.equal(reset.status, 303);
      assert.equal(reset.headers.get('location'), '/settings?done=text-reset#text-help');
      assert.equal(await f.store.settings.get(textSettingKey('es', 'help')), undefined);

      const rows = await f.db.knex('audit_log').orderBy('id').select('actor', 'action', 'target');
      assert.deepEqual(rows.map((r) => [r.actor, r.action, r.target]), [[ACTOR, 'settings', 'text.es.help'], [ACTOR, 'settings', 'text.es.help']]);
      for (const [form, status] of [[{ key: 'nope', lang: 'en', value: 'x' }, 400], [{ key: 'help', lang: 'fr', value: 'x' }, 400], [{ key: 'help', lang: 'en', value: 'x', action: 'drop' }, 400]] as const) {
        assert.equal((await f.post('/settings/texts', form)).status, status, JSON.stringify(form));
      }
    });

    test('a stored override the bot refuses is listed, on the page and in the warnings', async (t) => {
      const f = await startPages(t, database);
      await f.store.settings.set(textSettingKey('en', 'help'), '<blink>old</blink>');
      const page = await f.get('/settings');
      assert.match(page.text, /id="text-problems"/);
      assert.match(page.text, /<code>text\.en\.help<\/code>: help is not valid Telegram HTML/);
      const warnings = await f.get('/warnings');
      assert.match(warnings.text, /data-warning="text-refused"><strong>The stored text text\.en\.help is refused<\/strong>/);
    });
  });
}
