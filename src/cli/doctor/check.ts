/**
 * What one doctor check found: ok, a warning (worth a look, not a failure),
 * a problem (doctor exits 1) or skipped (an earlier problem hides it). Every
 * result that is not ok says how to fix it.
 */

/** How a check ended. */
export type CheckStatus = 'ok' | 'warning' | 'problem' | 'skipped';

/** One line of the doctor's report. */
export interface CheckResult {
  /** Short and stable (`token`, `webhook`, `chat-rights`…): the report's left column and the JSON key. */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found, in one sentence. Never a secret. */
  readonly summary: string;
  /** How to fix it; set for every warning and problem. */
  readonly fix?: string;
}

/** A passed check. */
export function ok(check: string, summary: string): CheckResult {
  return { check, status: 'ok', summary };
}

/** Something worth a look that does not stop paywall from working. */
export function warning(check: string, summary: string, fix: string): CheckResult {
  return { check, status: 'warning', summary, fix };
}

/** Something that stops paywall from working as it should: doctor exits 1. */
export function problem(check: string, summary: string, fix: string): CheckResult {
  return { check, status: 'problem', summary, fix };
}

/** A check that could not run because of an earlier problem (named in `summary`). */
export function skipped(check: string, summary: string): CheckResult {
  return { check, status: 'skipped', summary };
}

/** The first line of an error's message, cut to a readable length. */
export function reason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
