/** The SettingsStore port over the `settings` table. */
import type { Knex } from 'knex';
import type { Clock, SettingsStore } from '../paywall/index.js';
import { toDbTime } from './values.js';

interface SettingRow {
  key: string;
  value: string;
}

/** Builds the SettingsStore. `knex` may be a transaction. */
export function createSettingsStore(knex: Knex, clock: Clock = { now: () => new Date() }): SettingsStore {
  return {
    async get(key) {
      const row: SettingRow | undefined = await knex('settings').where({ key }).first();
      return row?.value;
    },
    async set(key, value) {
      await knex('settings').insert({ key, value, updated_at: toDbTime(clock.now()) }).onConflict('key').merge(['value', 'updated_at']);
    },
    async setIfAbsent(key, value) {
      await knex('settings').insert({ key, value, updated_at: toDbTime(clock.now()) }).onConflict('key').ignore();
      const row: SettingRow | undefined = await knex('settings').where({ key }).first();
      if (!row) throw new Error(`Setting ${key} vanished while being stored.`);
      return row.value;
    },
    async delete(key) {
      await knex('settings').where({ key }).del();
    },
    async list(prefix) {
      const query = knex('settings').orderBy('key').select('key', 'value');
      // substr, not LIKE: SQLite's LIKE ignores case and both need wildcard escaping; the table is small.
      if (prefix) query.whereRaw('substr(??, 1, ?) = ?', ['key', prefix.length, prefix]);
      const rows: SettingRow[] = await query;
      return new Map(rows.map((r) => [r.key, r.value]));
    },
  };
}
