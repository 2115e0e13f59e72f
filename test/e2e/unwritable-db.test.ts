/**
 * An SQLite database paywall cannot write (issue 5, item 6): `paywall bot`
 * and `paywall dashboard` exit 2 at once with one line naming the file and
 * one saying how to fix it, never hang. Tests run as root, whom chmod does not
 * stop, so the cases use what stops root too: a path under a regular file, a
 * directory where the file should be, `chattr +i` (immutable) on the file, its
 * directory or a WAL sidecar, and chmod with the CLI run as nobody. A file
 * another process keeps locked in a write is exit 1 (it may clear) after a
 * bounded wait.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { baseEnv } from '../helpers/cli.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { CLI_ENTRY, REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const COMMANDS = ['bot', 'dashboard'] as const;
/** From spawn to exit, for every unwritable case (the brief's bound). */
const EXIT_WITHIN_MS = 10_000;
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

interface Outcome { code: number | null; stderr: string; ms: number }

/** A pattern matching `text` literally (temp paths may hold regex characters). */
const literally = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Runs `paywall <command>` against `dbUrl` and waits for its exit, killing it after `limitMs`. */
function runAgainst(h: Harness, command: string, dbUrl: string, limitMs: number, uid?: number): Promise<Outcome> {
  const started = Date.now();
  const env = baseEnv({ ...h.env, DATABASE_URL: dbUrl, DASHBOARD_PASSWORD: 'unwritable-test-password' });
  const child = spawn(process.execPath, [CLI_ENTRY, command], {
    cwd: uid === undefined ? h.dir : '/', env, stdio: ['ignore', 'ignore', 'pipe'], ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

/** Both commands against `dbUrl`, at once: each exits 2 in time, naming `named` and the fix. */
async function expectUsageExit(h: Harness, dbUrl: string, named: string, why: RegExp, uid?: number): Promise<void> {
  const outcomes = await Promise.all(COMMANDS.map((command) => runAgainst(h, command, dbUrl, EXIT_WITHIN_MS + 5_000, uid)));
  outcomes.forEach((outcome, i) => {
    const what = `paywall ${COMMANDS[i]} → ${JSON.stringify(outcome)}`;
    assert.equal(outcome.code, 2, what);
    assert.ok(outcome.ms < EXIT_WITHIN_MS, `exited within ${EXIT_WITHIN_MS} ms of spawn: ${what}`);
    // The error line (the log may say first that the instance lock was taken: the lock comes before the database).
    const line = outcome.stderr.trim().split('\n').find((l) => l.startsWith('paywall: ')) ?? '';
    assert.ok(line.includes(named), `the error names ${named}: ${what}`);
    assert.match(line, why, what);
    assert.match(outcome.stderr, /DATABASE_URL=sqlite:/, `the fix is given: ${what}`);
    assert.doesNotMatch(outcome.stderr, /\n\s+at /, `no stack trace: ${what}`);
    assert.ok(!outcome.stderr.includes(h.token), 'the token stays secret');
  });
}

/** chattr +i on `path` while `work` runs (undone even when it fails); false when the file system does not support it. */
async function whileImmutable(path: string, work: () => Promise<void>): Promise<boolean> {
  if (spawnSync('chattr', ['+i', path]).status !== 0) return false;
  try {
    await work();
  } finally {
    // Before the harness removes its temp dir, which an immutable entry would stop.
    spawnSync('chattr', ['-i', path]);
  }
  return true;
}

/** A migrated database file in its own directory. */
async function migratedDatabase(h: Harness): Promise<{ dir: string; file: string }> {
  const dir = join(h.dir, `db-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const file = join(dir, 'paywall.db');
  const migrated = await h.run(['db', 'migrate'], { env: { DATABASE_URL: `sqlite:${file}` } });
  assert.equal(migrated.code, 0, migrated.stderr);
  return { dir, file };
}

/** Holds SQLite's write lock on `file` from another process until killed. */
async function holdWriteLock(t: TestContext, file: string): Promise<ChildProcess> {
  const script = `const s = require('sqlite3'); const db = new s.Database(process.argv[1]);
    db.exec('PRAGMA journal_mode = WAL; BEGIN IMMEDIATE; UPDATE settings SET value = value', (e) => { if (e) throw e; console.log('held'); });
    setInterval(() => {}, 1000);`;
  const holder = spawn(process.execPath, ['-e', script, file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => void holder.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the lock holder did not take the lock within 10 s')), 10_000);
    holder.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('held')) { clearTimeout(timer); resolve(); } });
  });
  return holder;
}

const sqlite = (await testDatabases()).find((d) => d.kind === 'sqlite')!;

describe('an unwritable SQLite database', () => {
  test('a path under a regular file (ENOTDIR): exit 2 at once, naming the file and the fix', async (t) => {
    const h = await createHarness(t, sqlite);
    writeFileSync(join(h.dir, 'not-a-dir'), 'a regular file');
    const file = join(h.dir, 'not-a-dir', 'paywall.db');
    await expectUsageExit(h, `sqlite:${file}`, file, /cannot be created/);
  });

  test('a directory where the database file should be: exit 2 at once', async (t) => {
    const h = await createHarness(t, sqlite);
    const path = join(h.dir, 'paywall.db');
    mkdirSync(path);
    await expectUsageExit(h, `sqlite:${path}`, path, /is a directory/);
  });

  test('an immutable database file, its directory, or its WAL sidecar (chattr +i, which stops root): exit 2 at once', async (t) => {
    const h = await createHarness(t, sqlite);
    const { dir, file } = await migratedDatabase(h);
    const supported = await whileImmutable(file, () => expectUsageExit(h, `sqlite:${file}`, file, /read-only/));
    if (!supported) return t.skip('chattr +i is not supported here');
    assert.ok(await whileImmutable(dir, () => expectUsageExit(h, `sqlite:${file}`, file, literally(`directory ${dir} is not writable`))));
    const shm = `${file}-shm`;
    writeFileSync(shm, '');
    assert.ok(await whileImmutable(shm, () => expectUsageExit(h, `sqlite:${file}`, file, literally(`SHM file ${shm} is read-only`))));
  });

  test('a read-only file or directory (chmod) for a user who is not root: exit 2 at once', async (t) => {
    if (!isRoot) return t.skip('runs the CLI as nobody, which needs root');
    const h = await createHarness(t, sqlite);
    const { dir, file } = await migratedDatabase(h);
    // nobody must reach the file and write beside it; only the database file itself is read-only.
    chmodSync(h.dir, 0o755);
    mkdirSync(h.lockDir, { recursive: true });
    chmodSync(h.lockDir, 0o777);
    chmodSync(dir, 0o777);
    chmodSync(file, 0o444);
    await expectUsageExit(h, `sqlite:${file}`, file, /read-only/, NOBODY);

    const locked = tempDir(t, 'paywall-ro-dir-');
    const inLocked = join(locked, 'paywall.db');
    writeFileSync(inLocked, '');
    chmodSync(inLocked, 0o666);
    chmodSync(locked, 0o555);
    try {
      await expectUsageExit(h, `sqlite:${inLocked}`, inLocked, /is not writable/, NOBODY);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  test('a file another process keeps locked in a write: exit 1 after a bounded wait, naming the file', async (t) => {
    const h = await createHarness(t, sqlite);
    const { file } = await migratedDatabase(h);
    await holdWriteLock(t, file);
    // start-up waits SQLITE_START_BUSY_MS (10 s) for the writer; give the spawn and the exit 10 s more.
    const outcomes = await Promise.all(COMMANDS.map((command) => runAgainst(h, command, `sqlite:${file}`, 30_000)));
    outcomes.forEach((outcome, i) => {
      const what = `paywall ${COMMANDS[i]} → ${JSON.stringify(outcome)}`;
      assert.equal(outcome.code, 1, what);
      assert.ok(outcome.ms < 20_000, `exited within 20 s: ${what}`);
      assert.match(outcome.stderr, literally(`${file} is locked by another process`), what);
      assert.match(outcome.stderr, /fuser/, what);
    });
  });
});
