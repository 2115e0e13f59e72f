/**
 * Telegram's Stars ledger against this database, read-only: a recent payment
 * whose charge is not recorded here but whose order is was missed (its update
 * was lost: `--repair` records it); one whose order this database never
 * created was sold by a bot runtime that writes to another database. The
 * second is the sound sign of a dashboard and bot that do not share one
 * database even when that bot runs on another host: invoice payloads are
 * unguessable and made by the database that sells.
 */
import { createOrderRepo, createPaymentRepo, createSettingsStore, type Db } from '../../db/index.js';
import { RECONCILE_CURSOR_KEY, type StarTransactionEntry, type TelegramGateway } from '../../paywall/index.js';
import { ok, problem, reason, warning, type CheckResult } from './check.js';

/** How far back a payment counts as recent. */
export const RECENT_MS = 7 * 86_400_000;
/** A charge younger than this may still be on its way through the update path. */
export const IN_FLIGHT_MS = 2 * 60_000;
const PAGE = 100;
const MAX_PAGES = 20;
/** Entries before the saved reconciliation position read again. */
const OVERLAP = 200;

/** What the scan found among recent incoming payments. */
export interface LedgerFindings {
  scanned: number;
  /** Charge ids paid for orders of this database but not recorded here. */
  missed: string[];
  /** Charge ids paid for orders this database never created. */
  foreign: string[];
  /** The page bound stopped the scan before the end of the list. */
  truncated: boolean;
}

/** Lookups the classification needs. */
export interface LedgerLookups {
  paymentRecorded(chargeId: string): Promise<boolean>;
  orderExists(payload: string): Promise<boolean>;
}

/** Sorts recent incoming user payments into missed and foreign ones. */
export async function classifyEntries(entries: readonly StarTransactionEntry[], lookups: LedgerLookups, now: Date): Promise<Pick<LedgerFindings, 'missed' | 'foreign'>> {
  const missed: string[] = [];
  const foreign: string[] = [];
  for (const entry of entries) {
    if (entry.direction !== 'in' || entry.userId === null || entry.invoicePayload === null) continue;
    const ageMs = now.getTime() - entry.date.getTime();
    if (ageMs > RECENT_MS || (await lookups.paymentRecorded(entry.id))) continue;
    if (!(await lookups.orderExists(entry.invoicePayload))) foreign.push(entry.id);
    else if (ageMs > IN_FLIGHT_MS) missed.push(entry.id);
  }
  return { missed, foreign };
}

async function startOffset(db: Db): Promise<number> {
  const raw = await createSettingsStore(db.knex).get(RECONCILE_CURSOR_KEY);
  try {
    const offset = raw === undefined ? 0 : Number((JSON.parse(raw) as { offset?: unknown }).offset);
    return Number.isSafeInteger(offset) ? Math.max(0, offset - OVERLAP) : 0;
  } catch {
    return 0;
  }
}

/** Reads the ledger from a little before the saved reconciliation position, at most MAX_PAGES pages. */
export async function scanLedger(db: Db, gateway: Pick<TelegramGateway, 'starTransactions'>, now: Date): Promise<LedgerFindings> {
  const payments = createPaymentRepo(db.knex);
  const orders = createOrderRepo(db.knex);
  const lookups: LedgerLookups = {
    paymentRecorded: async (id) => (await payments.get(id)) !== undefined,
    orderExists: async (payload) => (await orders.byPayload(payload)) !== undefined,
  };
  const findings: LedgerFindings = { scanned: 0, missed: [], foreign: [], truncated: false };
  let offset = await startOffset(db);
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await gateway.starTransactions(offset, PAGE);
    const found = await classifyEntries(page, lookups, now);
    findings.missed.push(...found.missed);
    findings.foreign.push(...found.foreign);
    findings.scanned += page.length;
    offset += page.length;
    if (page.length < PAGE) return findings;
  }
  findings.truncated = true;
  return findings;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
}

/** Judges the findings: foreign sales are a warning (another database sells), missed ones a problem (a user paid and waits). */
export function judgeLedger(findings: LedgerFindings): CheckResult[] {
  const results: CheckResult[] = [];
  const scope = `${findings.scanned} Stars transaction${findings.scanned === 1 ? '' : 's'} read${findings.truncated ? ', the list is longer' : ''}`;
  if (findings.foreign.length > 0) {
    const n = findings.foreign.length;
    results.push(warning('shared-database', `${n} Stars payment${n === 1 ? '' : 's'} of the last 7 days paid for orders this database never created (${listed(findings.foreign)}): a bot runtime sells from another database.`,
      'Give the bot and the dashboard the same DATABASE_URL (on Railway, both services use the PostgreSQL plugin\'s URL), then restart the bot; those payments are in the database it used.'));
  }
  if (findings.missed.length > 0) {
    const n = findings.missed.length;
    results.push(problem('payments', `${n} Stars payment${n === 1 ? '' : 's'} of the last 7 days for orders of this database ${n === 1 ? 'is' : 'are'} not recorded (${listed(findings.missed)}): the update was lost, and the user has no access yet.`,
      'Run `paywall doctor --repair` to record them now (a running bot also does so every PAYWALL_RECONCILE_INTERVAL).'));
  }
  if (results.length === 0) results.push(ok('payments', `Every Stars payment of the last 7 days is recorded in this database (${scope}).`));
  return results;
}

/** Scans and judges; a failure to read the ledger is a warning, not a verdict on the payments. */
export async function checkLedger(db: Db, gateway: Pick<TelegramGateway, 'starTransactions'>, now: Date): Promise<CheckResult[]> {
  try {
    return judgeLedger(await scanLedger(db, gateway, now));
  } catch (err) {
    return [warning('payments', `Could not read the bot's Stars transactions: ${reason(err)}.`, 'Check this host\'s network access to Telegram and run paywall doctor again.')];
  }
}
