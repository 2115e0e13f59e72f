/**
 * `GET /api/payments?format=csv` of the real `paywall dashboard` process over
 * 10,000 payments, on both databases: a header row, every payment exactly
 * once, names with commas, quotes, line breaks and formula triggers that parse
 * back with csv-parse (text cells starting with = + - @ tab CR or ' carry one
 * leading apostrophe). The answer is streamed: chunked, and on PostgreSQL,
 * with the database's answers held half way by a proxy, the first rows have
 * already arrived while the response is still open.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { createDb } from '../../src/db/index.js';
import { COLUMNS, insertRows } from '../../src/db/seed/index.js';
import { silentLogger, testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { createTcpProxy } from '../helpers/tcp-proxy.js';

const LISTENING = /Dashboard listening on port (\d+)/;
const PASSWORD = 'csv-export-password';
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const PAYMENTS = 10_000;
const USERS = 1_000;
const HEADER = ['chargeId', 'userId', 'planId', 'amount', 'currency', 'status', 'createdAt', 'refundedAt', 'username', 'firstName', 'lastName'];
const TEXT_COLUMNS = ['chargeId', 'currency', 'username', 'firstName', 'lastName'];
const T0 = Date.UTC(2026, 0, 1);

type Names = { username: string | null; firstName: string | null; lastName: string | null };

/** Users whose names test the quoting and the formula escaping; the rest are plain. */
const ODD_PEOPLE: Names[] = [
  { username: 'comma,user', firstName: 'Smith, John', lastName: 'Jr., III' },
  { username: 'quote"user', firstName: 'The "Boss"', lastName: '""' },
  { username: null, firstName: 'Line\nBreak', lastName: 'CR\r\nLF' },
  { username: 'plain', firstName: ' spaced ', lastName: '=1+2' },
  { username: '@handle', firstName: '=HYPERLINK("http://evil.example","click")', lastName: '+SUM(A1:A9)' },
  { username: '-minus', firstName: '-2+3', lastName: '@cmd' },
  { username: null, firstName: '\tTab', lastName: '\rReturn' },
  { username: "'apos", firstName: "'=already", lastName: 'ünïcödé 😀, "x"' },
  { username: null, firstName: null, lastName: null },
];

/** What the export must say of a text value: one leading apostrophe before a formula trigger or an apostrophe. */
const exported = (text: string | null) => (text === null ? '' : /^[=+\-@\t\r']/.test(text) ? `'${text}` : text);

function chargeIdOf(i: number): string {
  const id = `stx_${String(i).padStart(5, '0')}`;
  return i % 1_000 === 7 ? `${id},"odd"\nid` : id;
}

/** Inserts the users and payments straight into the database (batched, as the seed does); returns the CSV records expected, in export order. */
async function seed(h: Harness): Promise<Record<string, string>[]> {
  const db = await createDb(parseDatabaseUrl(h.dbUrl, h.dir), silentLogger());
  try {
    const people = Array.from({ length: USERS }, (_, i): Names => ODD_PEOPLE[i] ?? { username: i % 3 ? `user_${i}` : null, firstName: `User ${i}`, lastName: i % 2 ? 'Plain' : null });
    const users = people.map((p, i) => [10_000 + i, p.username, p.firstName, p.lastName, 'en', false, null, T0, T0]);
    const expected: Record<string, string>[] = [];
    const payments = Array.from({ length: PAYMENTS }, (_, i) => {
      // The last payment's user was never seen: its names are empty.
      const userId = i === PAYMENTS - 1 ? 999_999 : 10_000 + (i % USERS);
      const names = people[userId - 10_000] ?? { username: null, firstName: null, lastName: null };
      const refundedAt = i % 37 === 0 ? T0 + i * 1_000 + 500 : null;
      const row = { chargeId: chargeIdOf(i), amount: 1 + (i % 500), createdAt: T0 + i * 1_000 };
      expected.push({
        chargeId: exported(row.chargeId), userId: String(userId), planId: '', amount: String(row.amount), currency: 'XTR', status: refundedAt ? 'refunded' : 'paid',
        createdAt: new Date(row.createdAt).toISOString(), refundedAt: refundedAt ? new Date(refundedAt).toISOString() : '',
        username: exported(names.username), firstName: exported(names.firstName), lastName: exported(names.lastName),
      });
      return [row.chargeId, null, userId, null, null, null, 86_400, row.amount, 'XTR', false, null, refundedAt ? 'refunded' : 'paid', 'seed', row.createdAt, refundedAt];
    });
    await db.knex.transaction(async (trx) => {
      await insertRows(trx, db.kind, { table: 'users', columns: COLUMNS.users, rows: users });
      await insertRows(trx, db.kind, { table: 'payments', columns: COLUMNS.payments, rows: payments });
    });
    return expected;
  } finally {
    await db.close();
  }
}

/** A download in progress: its head once it arrives, what has arrived so far and in how many pieces, and its end. */
interface Download {
  head: Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>;
  text(): string;
  pieces(): number;
  ended(): boolean;
  done: Promise<string>;
}

/** Starts the export's download; nothing here waits, so a server that sends nothing cannot hang the test. */
function download(port: number): Download {
  const parts: Buffer[] = [];
  let ended = false;
  let onHead!: (head: Awaited<Download['head']>) => void;
  const head = new Promise<Awaited<Download['head']>>((resolve) => { onHead = resolve; });
  const done = new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/payments?format=csv', headers: { authorization: AUTH } }, (res) => {
      onHead({ status: res.statusCode ?? 0, headers: res.headers });
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => { ended = true; resolve(Buffer.concat(parts).toString('utf8')); });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('the export stalled for 30 s')));
    req.end();
  });
  // A failed download is reported where the test awaits it, not as an unhandled rejection.
  done.catch(() => undefined);
  return { head, text: () => Buffer.concat(parts).toString('utf8'), pieces: () => parts.length, ended: () => ended, done };
}

const rowsIn = (text: string) => text.split('stx_').length - 1;

function assertExport(text: string, expected: Record<string, string>[]): void {
  const records = parse(text, { relax_column_count: false }) as string[][];
  assert.deepEqual(records[0], HEADER, 'the header row');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, PAYMENTS);
  assert.equal(new Set(rows.map((r) => r.chargeId)).size, PAYMENTS, 'every payment once');
  assert.deepEqual(rows, expected);
  const hyperlink = rows.find((r) => r.firstName.includes('HYPERLINK'))!;
  assert.equal(hyperlink.firstName, `'=HYPERLINK("http://evil.example","click")`, 'a formula is defused by a leading apostrophe');
  // Stripping one leading apostrophe gives every text back exactly.
  const unescape = (v: string) => (v.startsWith("'") ? v.slice(1) : v);
  const lines = rows.filter((r) => Number(r.userId) - 10_000 < ODD_PEOPLE.length);
  for (const row of lines) {
    const person = ODD_PEOPLE[Number(row.userId) - 10_000]!;
    assert.deepEqual(TEXT_COLUMNS.slice(2).map((c) => unescape(row[c]!)), [person.username ?? '', person.firstName ?? '', person.lastName ?? '']);
  }
}

for (const database of await testDatabases()) {
  describe(`payments CSV export of 10,000 payments (${database.kind})`, () => {
    test('streams a header row and every payment once, quoted and defused so that csv-parse reads back every name', async (t) => {
      const h = await createHarness(t, database);
      const proxy = database.kind === 'postgres' ? await createTcpProxy(t) : undefined;
      const url = new URL(h.dbUrl);
      if (proxy) url.port = String(proxy.port);
      const proc = h.spawn(['dashboard'], { env: { DASHBOARD_PASSWORD: PASSWORD, DATABASE_URL: proxy ? url.toString() : h.dbUrl } });
      const port = Number(LISTENING.exec(await proc.waitForOutput(LISTENING, 20_000))![1]);
      const started = Date.now();
      const expected = await seed(h);
      t.diagnostic(`inserted ${PAYMENTS} payments in ${Date.now() - started} ms`);

      // PostgreSQL: let the server read about a fifth of the rows (10,000 rows are ~2 MB on the wire), then hold the rest.
      const stalled = proxy?.stallAfter(400_000);
      const res = download(port);
      if (proxy && stalled) {
        await Promise.race([stalled, new Promise((_, reject) => setTimeout(() => reject(new Error('the server never read 400 kB from PostgreSQL')), 10_000).unref())]);
        await waitUntil(() => rowsIn(res.text()) >= 500, 10_000, 'the first rows arrive while the database is held');
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(res.ended(), false, 'the response is still open while the database is held');
        assert.ok(rowsIn(res.text()) < PAYMENTS, `only part of the rows has arrived (${rowsIn(res.text())})`);
        proxy.resume();
      }
      const { status, headers } = await res.head;
      assert.equal(status, 200);
      assert.match(String(headers['content-type']), /^text\/csv/);
      assert.equal(headers['transfer-encoding'], 'chunked', 'streamed, not buffered whole');
      assert.equal(headers['content-length'], undefined);
      const text = await res.done;
      assert.ok(res.pieces() > 1, `arrived in ${res.pieces()} pieces`);
      assertExport(text, expected);

      proc.kill('SIGTERM');
      assert.equal((await proc.waitForExit(10_000)).code, 0);
      assert.doesNotMatch(proc.stderr(), /"level":50/);
    });
  });
}
