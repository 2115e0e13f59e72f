/** Picking the user's language from Telegram's language_code. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLanguage, LANGUAGES, pickLanguage } from '../../../src/paywall/texts/index.js';

test('Spanish in any region is es', () => {
  for (const code of ['es', 'es-ES', 'es-419', 'ES', 'es_MX']) assert.equal(pickLanguage(code), 'es', code);
});

test('anything else is en', () => {
  for (const code of ['en', 'en-US', 'de', 'pt-BR', 'est', '', undefined, null]) assert.equal(pickLanguage(code), 'en', String(code));
});

test('the languages are en and es, English first', () => {
  assert.deepEqual([...LANGUAGES], ['en', 'es']);
  assert.ok(isLanguage('es'));
  assert.ok(!isLanguage('es-ES'));
  assert.ok(!isLanguage(undefined));
});
