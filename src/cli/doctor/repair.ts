/**
 * `doctor --repair`: one reconciliation run against Telegram's Stars ledger,
 * as the runtime does at start and every PAYWALL_RECONCILE_INTERVAL. It
 * records each payment whose update was lost (granting what it bought, once)
 * and applies refunds made while nobody listened; it is idempotent, so it is
 * safe beside a running bot. Confirmations go to the job queue, which a bot
 * runtime delivers.
 */
import type { Config } from '../../config/config.js';
import { createStore, type Db } from '../../db/index.js';
import type { Logger } from '../../log/logger.js';
import { reconcilePayments, type ReconcileReport, type TelegramGateway } from '../../paywall/index.js';
import { createPaywallDeps } from '../paywall-deps.js';
import { ok, problem, reason, warning, type CheckResult } from './check.js';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The repair's report lines. */
export function judgeRepair(report: ReconcileReport, runtimeRunning: boolean): CheckResult[] {
  const { recorded, refunded, skipped } = report;
  const confirmations = runtimeRunning ? 'the running bot sends their confirmations' : 'their confirmations are queued until a bot runtime runs';
  const changed = recorded.length + refunded.length > 0
    ? `recorded ${plural(recorded.length, 'missed payment', 'missed payments')}${recorded.length ? ` (${recorded.join(', ')})` : ''} and applied ${plural(refunded.length, 'refund', 'refunds')}${refunded.length ? ` (${refunded.join(', ')})` : ''}; ${confirmations}`
    : 'nothing was missing';
  const results = [ok('repair', `Reconciled ${plural(report.scanned, 'Stars transaction', 'Stars transactions')}: ${changed}.${report.more ? ' The list is longer: run --repair again.' : ''}`)];
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).map((s) => `${s.chargeId} (${s.reason})`).join('; ');
    results.push(warning('repair', `${plural(skipped.length, 'transaction', 'transactions')} could not be recorded: ${shown}${skipped.length > 5 ? '; …' : ''}.`, 'Look them up in Telegram (@BotFather → your bot → Payments) and grant or refund by hand on the dashboard.'));
  }
  return results;
}

/** Runs reconciliation once and reports what it recorded. */
export async function runRepair(config: Config, db: Db, gateway: Pick<TelegramGateway, 'starTransactions'>, logger: Logger, runtimeRunning: boolean): Promise<CheckResult[]> {
  try {
    const deps = { ...createPaywallDeps(config, createStore(db)), gateway, log: logger };
    return judgeRepair(await reconcilePayments(deps), runtimeRunning);
  } catch (err) {
    return [problem('repair', `Reconciliation failed: ${reason(err)}.`, 'Check this host\'s network access to Telegram and run `paywall doctor --repair` again.')];
  }
}
