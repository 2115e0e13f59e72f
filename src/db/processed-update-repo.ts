/** The ProcessedUpdateRepo port over `processed_updates`: a redelivered update is recognised and skipped. */
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
    async prune(before) {
      return knex('processed_updates').where('processed_at', '<', toDbTime(before)).delete();
    },
  };
}
