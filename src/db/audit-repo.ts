/** The AuditRepo port over `audit_log`: who granted, revoked, refunded or broadcast, and when. */
import type { Knex } from 'knex';
import type { AuditRepo } from '../paywall/index.js';
import { toJsonText } from './repo-rows.js';
import { toDbTime } from './values.js';

/** Builds the AuditRepo. `knex` may be a transaction, so an entry commits with the change it records. */
export function createAuditRepo(knex: Knex): AuditRepo {
  return {
    async record(entry, at) {
      await knex('audit_log').insert({
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        details: entry.details === undefined ? null : toJsonText(entry.details),
        created_at: toDbTime(at),
      });
    },
  };
}
