/**
 * The holder record kept beside a lock (never inside it: proper-lockfile's lock
 * is a directory that must stay empty, or its release fails with ENOTEMPTY).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** Who holds a lock, so that a refused instance can name it. */
export interface HolderRecord {
  pid: number;
  host: string;
  startedAt: string;
  lockPath: string;
}

/** Reads a holder record; undefined when there is none or it is unreadable. */
export async function readHolderRecord(path: string): Promise<HolderRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<HolderRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt ?? 'unknown'),
      lockPath: String(parsed.lockPath ?? ''),
    };
  } catch {
    return undefined;
  }
}

/** Writes a holder record atomically (write a temporary file, then rename). */
export async function writeHolderRecord(path: string, record: HolderRecord): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record)}\n`, { mode: 0o644 });
  await rename(tmp, path);
}

/** Removes a holder record; a missing one is fine. */
export async function removeHolderRecord(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** True when a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One line naming a holder, for logs and exit messages. */
export function describeHolder(holder: HolderRecord | undefined, lockPath: string): string {
  if (!holder) return `an unknown process (no holder record; lock ${lockPath})`;
  return `pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt} (lock ${lockPath})`;
}
