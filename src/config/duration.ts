/** Durations as SPEC writes them: `<integer><s|m|h|d>` or `lifetime`. */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(\d+)([smhd])$/;

/** A parsed duration: milliseconds, or null for `lifetime`. */
export type DurationMs = number | null;

/**
 * Parses `30d`, `10s`, `lifetime`. Returns undefined when the text is not a
 * duration, so callers can word their own error.
 */
export function parseDuration(text: string): DurationMs | undefined {
  const trimmed = text.trim();
  if (trimmed === 'lifetime') return null;
  const match = DURATION_RE.exec(trimmed);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** True when `text` is a finite duration (not `lifetime`). */
export function isFiniteDuration(text: string): boolean {
  const ms = parseDuration(text);
  return typeof ms === 'number';
}

/** Formats milliseconds back into the largest whole unit: 2592000000 → `30d`. */
export function formatDuration(ms: DurationMs): string {
  if (ms === null) return 'lifetime';
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0 && ms >= UNIT_MS[unit]) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
