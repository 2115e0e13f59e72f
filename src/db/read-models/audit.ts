/** The audit log for the dashboard: newest first, optionally one action, details parsed from their JSON. */
import type { Knex } from 'knex';
import { textOrNull } from '../repo-rows.js';
import { fromDbInt, fromDbTime } from '../values.js';

/** One entry of the audit log. */
export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

/** A page of the audit log, optionally only entries of one action. */
export interface AuditQuery {
  offset: number;
  limit: number;
  action?: string;
}

type AuditRow = Record<'id' | 'actor' | 'action' | 'target' | 'details' | 'created_at', unknown>;

/** Stored details back as an object; null when absent, unparsable or not an object (an entry is shown even then). */
export function parseDetails(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(String(value));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: fromDbInt(row.id),
    actor: String(row.actor),
    action: String(row.action),
    target: textOrNull(row.target),
    details: parseDetails(row.details),
    createdAt: fromDbTime(row.created_at),
  };
}

/** One page of the audit log, newest first, and how many entries match. */
export async function listAudit(knex: Knex, query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  const filtered = () => (query.action === undefined ? knex('audit_log') : knex('audit_log').where('action', query.action));
  const [counted] = (await filtered().count({ n: '*' })) as Array<{ n: unknown }>;
  // (created_at, id) descending: served by the created_at index, or (action, created_at) when filtered.
  const rows: AuditRow[] = await filtered()
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .offset(query.offset)
    .limit(query.limit)
    .select('id', 'actor', 'action', 'target', 'details', 'created_at');
  return { items: rows.map(toEntry), total: fromDbInt(counted?.n ?? 0) };
}
