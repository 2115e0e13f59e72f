/**
 * The doctor's report: one line per check (status, check, what was found),
 * each warning and problem followed by its fix, then a verdict; or the same
 * as JSON. The exit code follows from it: 1 when any problem was found.
 */
import { EXIT } from '../errors.js';
import type { CheckResult, CheckStatus } from './check.js';

const STATUS_WIDTH = 8;
const CHECK_WIDTH = 16;

/** Counts by status. */
export function tally(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, warning: 0, problem: 0, skipped: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** 1 when any check found a problem; warnings alone leave it 0. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return tally(results).problem > 0 ? EXIT.FAILURE : EXIT.OK;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The verdict line. */
export function verdict(results: readonly CheckResult[]): string {
  const { problem, warning } = tally(results);
  if (problem === 0 && warning === 0) return 'All is well.';
  if (problem === 0) return `No problem found; ${plural(warning, 'warning')}.`;
  return `${plural(problem, 'problem')}${warning ? ` and ${plural(warning, 'warning')}` : ''} found: see the fixes above.`;
}

/** The human report, ending with a newline. */
export function formatReport(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  const indent = ' '.repeat(STATUS_WIDTH + 1 + CHECK_WIDTH + 1);
  for (const r of results) {
    lines.push(`${r.status.padEnd(STATUS_WIDTH)} ${r.check.padEnd(CHECK_WIDTH)} ${r.summary}`);
    if (r.fix && r.status !== 'ok') lines.push(`${indent}fix: ${r.fix}`);
  }
  lines.push('', verdict(results));
  return `${lines.join('\n')}\n`;
}

/** The JSON report (`--json`), ending with a newline. */
export function formatJson(results: readonly CheckResult[]): string {
  const counts = tally(results);
  return `${JSON.stringify({ ok: counts.problem === 0, problems: counts.problem, warnings: counts.warning, checks: results })}\n`;
}
