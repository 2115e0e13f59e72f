/** The ProcessedUpdateRepo port over `processed_updates` (a redelivered update is recognised and skipped) and `update_inbox`. */
import type { Knex } from 'knex';
import type { ProcessedUpdateRepo } from '../paywall/index.js';
import { toDbTime } from './values.js';

/** Builds the ProcessedUpdateRepo. `knex` may be a transaction (the usual case: marked with the update's writes). */
export function createProcessedUpdateRepo(knex: Knex): ProcessedUpdateRepo {
  return {
    async markProcessed(updateId, at) {
      // DO NOTHING rather than catching the violation, which would abort a PostgreSQL transaction.
      const inserted = await knex('processed_updates').insert({ update_id: updateId, processed_at: toDbTime(at) }).onConflict('update_id').ignore().returning('update_id');
      return inserted.length === 1;
    },
    async wasProcessed(updateId) {
      return (await knex('processed_updates').where({ update_id: updateId }).first('update_id')) !== undefined;
    },
    async processedAmong(updateIds) {
      const found = new Set<number>();
      for (let i = 0; i < updateIds.length; i += 500) {
        const rows: Array<{ update_id: unknown }> = await knex('processed_updates').whereIn('update_id', updateIds.slice(i, i + 500)).select('update_id');
        for (const row of rows) found.add(Number(row.update_id));
      }
      return found;
    },
    async markManyProcessed(updateIds, at) {
      const processedAt = toDbTime(at);
      for (let i = 0; i < updateIds.length; i += 500) {
        const rows = updateIds.slice(i, i + 500).map((id) => ({ update_id: id, processed_at: processedAt }));
        if (rows.length > 0) await knex('processed_updates').insert(rows).onConflict('update_id').ignore();
      }
    },
    async prune(before) {
      return knex('processed_updates').where('processed_at', '<', toDbTime(before)).delete();
    },
    async keep(updates, at) {
      const receivedAt = toDbTime(at);
      for (let i = 0; i < updates.length; i += 250) {
        const rows = updates.slice(i, i + 250).map((u) => ({ update_id: u.updateId, payload: u.json, received_at: receivedAt }));
        if (rows.length > 0) await knex('update_inbox').insert(rows).onConflict('update_id').ignore();
      }
    },
    async kept(limit) {
      const rows: Array<{ update_id: unknown; payload: string }> = await knex('update_inbox').orderBy('update_id').limit(limit).select('update_id', 'payload');
      return rows.map((row) => ({ updateId: Number(row.update_id), json: row.payload }));
    },
    async release(updateIds) {
      for (let i = 0; i < updateIds.length; i += 500) {
        const ids = updateIds.slice(i, i + 500);
        if (ids.length > 0) await knex('update_inbox').whereIn('update_id', ids).delete();
      }
    },
  };
}
