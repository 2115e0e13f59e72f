/**
 * Who runs the bot: this token's instance lock on this host, the database
 * lease on PostgreSQL, and the latest heartbeat in the database, each judged
 * alone and against each other. A live lock holder here whose heartbeat is
 * not in this database means the bot and this configuration (the dashboard's,
 * usually) do not share one database; a runtime here that holds no lock in
 * this lock directory means the processes do not share one lock directory.
 */
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { redactUrl, type DatabaseConfig } from '../../config/config.js';
import { POLLED_WITHIN_MS, botStatusOf } from '../../db/read-models/bot-status.js';
import { describeHolder, isPidAlive, readHolderRecord, type HolderRecord } from '../../lock/holder-record.js';
import { describeLeaseHolder, findLeaseHolder, leaseApplies, type LeaseHolder } from '../../lock/database-lease.js';
import { LOCK_STALE_MS } from '../../lock/instance-lock.js';
import type { Heartbeat } from '../../paywall/index.js';
import { ok, problem, reason, warning, type CheckResult } from './check.js';

/** A lock holder younger than this may not have written its first heartbeat yet. */
export const STARTUP_GRACE_MS = 30_000;

const FIX_START = 'Start `paywall bot` (or `paywall all`), or set WEBHOOK_URL and start `paywall dashboard`, with this same DATABASE_URL.';
const FIX_SHARE_DB = 'Give the bot and the dashboard the same DATABASE_URL (on Railway, both services use the PostgreSQL plugin\'s URL; a relative sqlite: path depends on the working directory), then restart the bot.';

/** What the lock directory says about this token. */
export interface LockFacts {
  lockDir: string;
  lockPath: string;
  /** A fresh lock exists (proper-lockfile's view: not older than the stale period). */
  held: boolean;
  holder: HolderRecord | undefined;
}

/** A short age: `12 s`, `5 min`, `3 h`, `2 d`. */
export function age(from: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3_600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/**
 * Reads the lock beside the token hash, as src/lock/instance-lock.ts names it
 * (`<hash>.lock`, holder record `<hash>.holder.json`), without taking it.
 */
export async function readLockFacts(lockDir: string, tokenHash: string): Promise<LockFacts> {
  const target = join(lockDir, tokenHash);
  const held = await lockfile.check(target, { realpath: false, stale: LOCK_STALE_MS }).catch(() => false);
  return { lockDir, lockPath: `${target}.lock`, held, holder: held ? await readHolderRecord(`${target}.holder.json`) : undefined };
}

/** Judges the lock on this host (`host`), asking `alive` about a holder's pid here. */
export function judgeLock(facts: LockFacts, host: string, alive: (pid: number) => boolean = isPidAlive): CheckResult {
  if (!facts.held) return ok('lock', `No paywall bot holds this token's lock on this host (lock directory ${facts.lockDir}).`);
  const holder = facts.holder;
  if (holder && holder.host === host && !alive(holder.pid)) {
    return warning('lock', `This token's lock was left by pid ${holder.pid}, which is no longer running (${facts.lockPath}).`, 'Nothing is lost: the next `paywall bot` on this host takes the lock over at once.');
  }
  return ok('lock', `This token's lock is held by ${describeHolder(holder, facts.lockPath)}.`);
}

/** The lease check (PostgreSQL only), and the holder it found. */
export interface LeaseCheck {
  result: CheckResult | undefined;
  holder: LeaseHolder | undefined;
}

/** Who holds this token's database lease; nothing to check on SQLite. */
export async function checkLease(database: DatabaseConfig, tokenHash: string): Promise<LeaseCheck> {
  if (!leaseApplies(database)) return { result: undefined, holder: undefined };
  try {
    const holder = await findLeaseHolder({ database, tokenHash });
    const result = holder
      ? ok('lease', `This token's database lease is held by ${describeLeaseHolder(holder, redactUrl(database.url))}.`)
      : ok('lease', 'Nobody holds this token\'s database lease: no bot runtime consumes updates through this database.');
    return { result, holder };
  } catch (err) {
    return { result: warning('lease', `Could not look up the database lease holder: ${reason(err)}.`, 'Check that DATABASE_URL reaches PostgreSQL directly or through a pooler in session mode (a transaction-mode PgBouncer cannot hold the lease).'), holder: undefined };
  }
}

function describeRuntime(hb: Heartbeat): string {
  return `pid ${hb.pid} on host ${hb.host} (${hb.mode}, started ${hb.startedAt.toISOString()})`;
}

/** Judges the latest heartbeat: running, healthy, conflicts; `queued` jobs wait for a runtime. */
export function judgeHeartbeat(hb: Heartbeat | undefined, now: Date, queued: number): CheckResult[] {
  const waiting = `${queued} queued job${queued === 1 ? '' : 's'} wait${queued === 1 ? 's' : ''}`;
  if (!hb) return [warning('runtime', `No bot runtime has ever written a heartbeat to this database: nothing receives payments or runs jobs (${waiting}).`, FIX_START)];
  const status = botStatusOf(hb, now);
  if (!status.running) {
    return [warning('runtime', `No bot runtime is running: the last heartbeat, from ${describeRuntime(hb)}, is ${age(hb.updatedAt, now)} old (${waiting}).`, FIX_START)];
  }
  const results: CheckResult[] = [];
  const lastPoll = hb.mode === 'polling'
    ? (hb.lastPollAt ? `last poll answered ${age(hb.lastPollAt, now)} ago` : 'no poll answered yet')
    : (hb.lastPollAt ? `last update delivered ${age(hb.lastPollAt, now)} ago` : 'no update delivered yet');
  const starting = hb.mode === 'polling' && hb.lastPollAt === null && now.getTime() - hb.startedAt.getTime() <= POLLED_WITHIN_MS;
  if (status.healthy || starting) {
    results.push(ok('runtime', `A bot runtime is running: ${describeRuntime(hb)}, heartbeat ${age(hb.updatedAt, now)} ago, ${lastPoll}.`));
  } else if (hb.mode === 'polling') {
    results.push(problem('runtime', `The bot runtime ${describeRuntime(hb)} is alive but not receiving updates (${lastPoll}).`, 'Check the webhook line above, this host\'s network access to Telegram, and the runtime\'s log (a 409 conflict means another program polls this token).'));
  } else {
    results.push(problem('runtime', `The bot runtime ${describeRuntime(hb)} is alive but a webhook delivery failed within the last minute (${lastPoll}).`, 'Check that the dashboard is reachable at WEBHOOK_URL over https, and its log for /telegram/webhook errors.'));
  }
  if (hb.conflicts > 0) {
    results.push(warning('conflicts', `The runtime met ${hb.conflicts} conflict episode${hb.conflicts === 1 ? '' : 's'} (409) since it started: another program polls this token.`, 'Stop the other consumer (an old deployment still running, another host); the lock and lease lines above name paywall\'s own holders.'));
  }
  return results;
}

/** What the sharing judgement looks at. */
export interface SharingFacts {
  host: string;
  now: Date;
  lock: LockFacts;
  heartbeat: Heartbeat | undefined;
  alive?: (pid: number) => boolean;
}

function fresh(hb: Heartbeat | undefined, now: Date): hb is Heartbeat {
  return hb !== undefined && botStatusOf(hb, now).running;
}

/**
 * A bot here that holds the lock but writes its heartbeat elsewhere uses
 * another database; a runtime here that writes its heartbeat but holds no
 * lock in this directory uses another lock directory. Undefined when neither.
 */
export function judgeSharing(facts: SharingFacts): CheckResult | undefined {
  const { host, now, lock, heartbeat } = facts;
  const alive = facts.alive ?? isPidAlive;
  const holder = lock.held ? lock.holder : undefined;
  if (holder && holder.host === host && alive(holder.pid)) {
    const since = Date.parse(holder.startedAt);
    const settled = Number.isFinite(since) && now.getTime() - since > STARTUP_GRACE_MS;
    const writesHere = fresh(heartbeat, now) && heartbeat.pid === holder.pid && heartbeat.host === holder.host;
    if (settled && !writesHere) {
      return warning('shared-database', `The bot holding this token's lock on this host (pid ${holder.pid}, started ${holder.startedAt}) writes no heartbeat to this database: it uses another database (or cannot write to this one), so payments it records and jobs queued here do not meet.`, FIX_SHARE_DB);
    }
    return undefined;
  }
  if (fresh(heartbeat, now) && heartbeat.host === host && alive(heartbeat.pid) && !lock.held) {
    return warning('lock-directory', `The bot runtime pid ${heartbeat.pid} on this host holds no lock in ${lock.lockDir}: it uses another lock directory, so a second bot started with this configuration would not be refused.`, 'Point PAYWALL_LOCK_DIR (or --lock-dir) at one directory shared by every paywall process of this host (PrivateTmp and containers give each process its own /tmp).');
  }
  return undefined;
}
