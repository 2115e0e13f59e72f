/** Process checks for tests: alive (a zombie counts as gone), and bounded waits. */
import { readFileSync } from 'node:fs';

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms until it is true; throws after timeoutMs. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
}

/** Pids of the children that `paywall all` reported starting, by name, in order. */
export function startedPids(stderr: string, name: string): number[] {
  const re = new RegExp(`started ${name} \\(pid (\\d+)\\)`, 'g');
  return [...stderr.matchAll(re)].map((m) => Number(m[1]));
}
