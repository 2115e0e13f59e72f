/** The settings store. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSettingsStore } from '../../src/db/index.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

for (const testDb of await testDatabases()) {
  describe(`settings store (${testDb.kind})`, () => {
    test('get, set, overwrite, setIfAbsent, list by prefix, delete', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const settings = createSettingsStore(db.knex);
      assert.equal(await settings.get('text.en.start'), undefined);
      await settings.set('text.en.start', 'Hello <b>there</b>');
      await settings.set('text.en.start', 'Hi');
      await settings.set('text.es.start', 'Hola');
      await settings.set('TEXT.other', 'upper case is another prefix');
      assert.equal(await settings.get('text.en.start'), 'Hi');
      assert.equal(await settings.setIfAbsent('text.es.start', 'ignored'), 'Hola');
      assert.equal(await settings.setIfAbsent('text.es.help', 'Ayuda'), 'Ayuda');
      assert.deepEqual([...(await settings.list('text.'))], [['text.en.start', 'Hi'], ['text.es.help', 'Ayuda'], ['text.es.start', 'Hola']]);
      assert.equal((await settings.list()).size, 4);
      await settings.delete('text.en.start');
      assert.equal(await settings.get('text.en.start'), undefined);
    });
  });
}
