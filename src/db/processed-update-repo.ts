/** The ProcessedUpdateRepo port over `processed_updates` (a redelivered update is recognised and skipped) and `update_inbox`. */
import type { Knex } from 'knex';
import type { ProcessedUpdateRepo } from '../paywall/index.js';
import { chunksOf } from './chunks.js';
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
      for (const ids of chunksOf(updateIds, 500)) {
        const rows: Array<{ update_id: unknown }> = await knex('processed_updates').whereIn('update_id', ids).select('update_id');
        for (const row of rows) found.add(Number(row.update_id));
      }
      return found;
    },
    async markManyProcessed(updateIds, at) {
      const processedAt = toDbTime(at);
      for (const ids of chunksOf(updateIds, 500)) {
        await knex('processed_updates').insert(ids.map((id) => ({ update_id: id, processed_at: processedAt }))).onConflict('update_id').ignore();
      }
    },
    async prune(before) {
      return knex('processed_updates').where('processed_at', '<', toDbTime(before)).delete();
    },
    async keep(updates, at) {
      const receivedAt = toDbTime(at);
      for (const slice of chunksOf(updates, 250)) {
        await knex('update_inbox').insert(slice.map((u) => ({ update_id: u.updateId, payload: u.json, received_at: receivedAt }))).onConflict('update_id').ignore();
      }
    },
    async kept(limit) {
      const rows: Array<{ update_id: unknown; payload: string }> = await knex('update_inbox').orderBy('update_id').limit(limit).select('update_id', 'payload');
      return rows.map((row) => ({ updateId: Number(row.update_id), json: row.payload }));
    },
    async release(updateIds) {
      for (const ids of chunksOf(updateIds, 500)) await knex('update_inbox').whereIn('update_id', ids).delete();
    },
  };
}
