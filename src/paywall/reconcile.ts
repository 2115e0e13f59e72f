/**
 * Reconciliation against Telegram's Stars ledger (getStarTransactions): a
 * payment whose update was lost (a crash, an outage) is recorded and grants
 * what it bought, once; a refund made on Telegram's side while nobody
 * listened takes its time back, once. Telegram lists transactions oldest
 * first, so a saved position lets each run read only what is new (plus a
 * small overlap); everything it does goes through recordPayment and
 * applyRefund, which are idempotent, so it is safe beside the update path.
 */
import { STARS } from './checkout.js';
import type { Log, PaywallDeps } from './deps.js';
import { recordPayment } from './payments.js';
import type { SettingsStore } from './ports.js';
import { applyRefund } from './refunds.js';
import type { StarTransactionEntry, TelegramGateway } from './telegram-port.js';

/** The settings key of the saved position in Telegram's transaction list. */
export const RECONCILE_CURSOR_KEY = 'reconcile.cursor';

/** What reconciliation needs: the domain's deps, Telegram's ledger and a log. */
export interface ReconcileDeps extends PaywallDeps {
  readonly gateway: Pick<TelegramGateway, 'starTransactions'>;
  readonly log: Log;
}

/** How much one run reads. */
export interface ReconcileOptions {
  /** Transactions per getStarTransactions call (Telegram allows 1–100); default 100. */
  pageSize?: number;
  /** Calls per run at most; the rest waits for the next run (`more` says so). Default 20. */
  maxPages?: number;
  /** Entries before the saved position read again, to check the list did not move; default 20, less than a page. */
  overlap?: number;
}

/** A ledger entry reconciliation could not act on. */
export interface ReconcileSkip {
  chargeId: string;
  reason: string;
}

/** What one run found and repaired. */
export interface ReconcileReport {
  /** Transactions read, the overlap included. */
  scanned: number;
  /** Charge ids of payments recorded by this run. */
  recorded: string[];
  /** Charge ids of payments this run marked refunded. */
  refunded: string[];
  /** New entries (past the saved position) it could not act on. */
  skipped: ReconcileSkip[];
  /** The page bound ended the run before the end of the list: run again soon. */
  more: boolean;
  /** The position in Telegram's list the next run continues from. */
  offset: number;
}

/** The saved position: how many entries were read, and the last one, to notice a list that moved. */
interface Cursor {
  offset: number;
  last: string | null;
}

const START: Cursor = { offset: 0, last: null };
const SKIP_UNKNOWN_ORDER = 'the invoice payload names no order of this database, so the plan is unknown';
const SKIP_UNKNOWN_REFUND = 'a refund of a charge that was never recorded';

function entryKey(entry: StarTransactionEntry): string {
  return `${entry.direction}:${entry.id}`;
}

async function readCursor(settings: SettingsStore): Promise<Cursor> {
  const raw = await settings.get(RECONCILE_CURSOR_KEY);
  if (raw === undefined) return START;
  try {
    const parsed = JSON.parse(raw) as Partial<Cursor>;
    if (Number.isSafeInteger(parsed.offset) && (parsed.offset as number) >= 0) {
      return { offset: parsed.offset as number, last: typeof parsed.last === 'string' ? parsed.last : null };
    }
  } catch {
    // A damaged value is read as no value: the next run reads the list from the start.
  }
  return START;
}

function resolveOptions(options: ReconcileOptions): Required<ReconcileOptions> {
  const pageSize = Math.min(100, Math.max(1, Math.trunc(options.pageSize ?? 100)));
  return {
    pageSize,
    maxPages: Math.max(1, Math.trunc(options.maxPages ?? 20)),
    // Less than a page, so that every page read moves the position on.
    overlap: Math.min(pageSize - 1, Math.max(0, Math.trunc(options.overlap ?? 20))),
  };
}

async function recordMissedPayment(deps: ReconcileDeps, entry: StarTransactionEntry & { userId: number; invoicePayload: string }, isNew: boolean, report: ReconcileReport): Promise<void> {
  if (await deps.store.payments.get(entry.id)) return;
  // A charge is never dropped, but only an order of ours says what it bought: without one it waits for the operator.
  if (!(await deps.store.orders.byPayload(entry.invoicePayload))) {
    if (isNew) report.skipped.push({ chargeId: entry.id, reason: SKIP_UNKNOWN_ORDER });
    return;
  }
  const period = entry.subscriptionPeriodSeconds;
  const outcome = await recordPayment(deps, {
    userId: entry.userId,
    chargeId: entry.id,
    payload: entry.invoicePayload,
    amount: entry.amount,
    currency: STARS,
    isRecurring: period !== null,
    subscriptionExpiresAt: period !== null ? new Date(entry.date.getTime() + period * 1000) : null,
    source: 'reconcile',
  });
  // 'duplicate': the update path recorded it meanwhile, which is just as good.
  if (outcome.status === 'recorded') report.recorded.push(entry.id);
}

async function applyMissedRefund(deps: ReconcileDeps, entry: StarTransactionEntry, isNew: boolean, report: ReconcileReport): Promise<void> {
  const payment = await deps.store.payments.get(entry.id);
  if (!payment) {
    if (isNew) report.skipped.push({ chargeId: entry.id, reason: SKIP_UNKNOWN_REFUND });
    return;
  }
  if (payment.status === 'refunded') return;
  if (await applyRefund(deps, entry.id, 'telegram')) report.refunded.push(entry.id);
}

async function reconcileEntry(deps: ReconcileDeps, entry: StarTransactionEntry, isNew: boolean, report: ReconcileReport): Promise<void> {
  if (entry.isRefund) return applyMissedRefund(deps, entry, isNew, report);
  const { userId, invoicePayload } = entry;
  // Only a user's invoice payment is a sale of ours; withdrawals, paid media and the like are not.
  if (entry.direction !== 'in' || userId === null || invoicePayload === null) return;
  return recordMissedPayment(deps, { ...entry, userId, invoicePayload }, isNew, report);
}

/** The first page from the saved position; from the start when the list no longer holds the saved last entry there. */
async function firstPage(deps: ReconcileDeps, saved: Cursor, limits: Required<ReconcileOptions>): Promise<{ cursor: Cursor; start: number; page: StarTransactionEntry[] }> {
  const start = Math.max(0, saved.offset - limits.overlap);
  const page = await deps.gateway.starTransactions(start, limits.pageSize);
  const anchor = saved.offset > 0 ? page[saved.offset - 1 - start] : undefined;
  const unchecked = saved.offset === start || saved.last === null;
  if (unchecked || (anchor !== undefined && entryKey(anchor) === saved.last)) return { cursor: saved, start, page };
  deps.log.warn({ offset: saved.offset }, 'The Stars transaction list does not match the saved reconciliation position: reading it again from the start');
  return { cursor: START, start: 0, page: await deps.gateway.starTransactions(0, limits.pageSize) };
}

async function notifyRepairs(deps: ReconcileDeps, report: ReconcileReport): Promise<void> {
  if (report.skipped.length > 0) {
    const shown = report.skipped.slice(0, 10).map((s) => `${s.chargeId} (${s.reason})`).join('; ');
    deps.log.warn({ skipped: report.skipped.length }, `Reconciliation found Stars transactions it cannot record; see them in Telegram and refund or grant by hand: ${shown}`);
  }
  if (report.recorded.length + report.refunded.length + report.skipped.length === 0) return;
  await deps.store.jobs.enqueue({
    type: 'admin_notice',
    payload: { key: 'admin.reconciled', params: { recorded: report.recorded.length, refunded: report.refunded.length, skipped: report.skipped.length } },
  }, deps.clock.now());
}

/**
 * Reads the Stars transactions past the saved position (and a small overlap),
 * records every user payment the payments table lacks, applies every refund of
 * a payment still recorded as paid, saves the new position page by page, and
 * tells the admins when it changed anything. Idempotent.
 */
export async function reconcilePayments(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const limits = resolveOptions(options);
  const { cursor, start, page: first } = await firstPage(deps, await readCursor(deps.store.settings), limits);
  const report: ReconcileReport = { scanned: 0, recorded: [], refunded: [], skipped: [], more: false, offset: start };
  let page = first;
  for (let pages = 1; ; pages += 1) {
    for (const [i, entry] of page.entries()) await reconcileEntry(deps, entry, report.offset + i >= cursor.offset, report);
    report.scanned += page.length;
    report.offset += page.length;
    const last = page.at(-1);
    if (last) await deps.store.settings.set(RECONCILE_CURSOR_KEY, JSON.stringify({ offset: report.offset, last: entryKey(last) }));
    if (page.length < limits.pageSize) break;
    if (pages >= limits.maxPages) {
      report.more = true;
      break;
    }
    page = await deps.gateway.starTransactions(report.offset, limits.pageSize);
  }
  await notifyRepairs(deps, report);
  return report;
}
