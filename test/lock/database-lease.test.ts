/** The database lease: one consumer per token across hosts sharing one PostgreSQL database. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  acquireDatabaseLease,
  describeLeaseHolder,
  findLeaseHolder,
  leaseApplies,
  leaseKey,
  LeaseHeldError,
  LeaseUnavailableError,
  LEASE_NAMESPACE,
} from '../../src/lock/database-lease.js';
import { leaseApplicationName } from '../../src/lock/lease-key.js';
import { testDatabases } from '../helpers/databases.js';
import { FIXTURES, REPO_ROOT } from '../helpers/paths.js';
import { isAlive, waitUntil } from '../helpers/processes.js';
import { createTcpProxy } from '../helpers/tcp-proxy.js';
import { createFreezingProxy, leaseFixture, PASSWORD, randomTokenHash, within } from './lease-fixture.js';

const noSecret = (text: string) => assert.ok(!text.includes(PASSWORD), `a password leaked: ${text}`);

describe('database lease: keys and names', () => {
  test('the key is the namespace and the signed first 32 bits of the hash', () => {
    assert.deepEqual(leaseKey('ffffffff00000000'), { namespace: LEASE_NAMESPACE, key: -1 });
    assert.deepEqual(leaseKey('0000002a99999999'), { namespace: LEASE_NAMESPACE, key: 42 });
    assert.notEqual(leaseKey('12345678aa').key, leaseKey('12345679aa').key);
    assert.throws(() => leaseKey('not-hex!'), TypeError);
  });

  test('applies to PostgreSQL only; the application name fits PostgreSQL and names pid and host', () => {
    assert.equal(leaseApplies({ kind: 'postgres', url: 'postgres://h/db' }), true);
    assert.equal(leaseApplies({ kind: 'sqlite', filename: '/tmp/p.db' }), false);
    assert.equal(leaseApplicationName(42, 'box'), 'paywall-lease 42@box');
    assert.equal(leaseApplicationName(42, 'x'.repeat(100)).length, 63);
    assert.equal(describeLeaseHolder(undefined, 'postgres://h/db'), 'an unknown session (it could not be seen; lease in postgres://h/db)');
  });
});

const pg = (await testDatabases()).find((d) => d.kind === 'postgres');

describe('database lease on PostgreSQL', { skip: pg ? false : 'PostgreSQL unreachable (set PAYWALL_TEST_PG_URL)' }, () => {
  test('a second lease on one token fails at once naming the holder; other tokens do not collide', async (t) => {
    const f = await leaseFixture(t, pg!);
    const first = await f.acquire();
    assert.equal(first.lease.state(), 'held');
    const refused = await f.acquire().then(() => undefined, (err: unknown) => err);
    assert.ok(refused instanceof LeaseHeldError, `expected LeaseHeldError, got ${String(refused)}`);
    assert.equal(refused.holder?.process?.pid, process.pid);
    assert.equal(refused.holder?.process?.host, hostname());
    assert.match(refused.message, new RegExp(`pid ${process.pid} on host ${hostname()}, connected from 127\\.0\\.0\\.1 since \\d{4}-`));
    noSecret(refused.message);
    const other = await f.acquire({ tokenHash: randomTokenHash() });
    assert.equal(other.lease.state(), 'held');

    await first.lease.release();
    await first.lease.release();
    assert.equal(first.lease.state(), 'released');
    assert.equal((await f.acquire()).lease.state(), 'held');
    assert.deepEqual([first.events.lost, first.events.regained], [[], 0]);
  });

  test('a waiter gets the lease within a second of its release, naming the holder once meanwhile', async (t) => {
    const f = await leaseFixture(t, pg!);
    const holder = await f.acquire();
    const waiter = f.observe();
    const stop = new AbortController();
    f.defer(() => stop.abort());
    const waiting = acquireDatabaseLease({ database: f.database, tokenHash: f.tokenHash, logger: waiter.logger, wait: true, signal: stop.signal, onLost: waiter.events.onLost, onRegained: waiter.events.onRegained });
    f.defer(() => waiting.then((lease) => lease.release(), () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const releasedAt = Date.now();
    await holder.lease.release();
    const lease = await within(3_000, waiting, 'the waiter to get the lease');
    assert.ok(Date.now() - releasedAt < 1_200, `took ${Date.now() - releasedAt} ms after the release`);
    assert.equal(lease.state(), 'held');
    // The signal was for the wait: aborting it now leaves the lease held.
    stop.abort();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(lease.state(), 'held');
    assert.deepEqual(waiter.events.lost, []);
    const waitLines = waiter.lines.filter((line) => line.includes('Waiting for the database lease'));
    assert.equal(waitLines.length, 1, 'the holder is named once, then every 30 s');
    assert.match(waitLines[0]!, new RegExp(`held by pid ${process.pid} on host ${hostname()}`));
    waiter.lines.forEach(noSecret);
  });

  test('aborting a wait rejects promptly with the reason', async (t) => {
    const f = await leaseFixture(t, pg!);
    await f.acquire();
    const stop = new AbortController();
    const waiter = f.observe();
    const waiting = acquireDatabaseLease({ database: f.database, tokenHash: f.tokenHash, logger: waiter.logger, wait: true, signal: stop.signal, onLost: waiter.events.onLost, onRegained: waiter.events.onRegained });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const abortedAt = Date.now();
    const reason = new Error('shutting down');
    stop.abort(reason);
    await assert.rejects(within(2_000, waiting, 'the aborted wait to end'), (err) => err === reason);
    assert.ok(Date.now() - abortedAt < 500, `took ${Date.now() - abortedAt} ms`);
  });

  test('a terminated session is reported lost at once and the lease is won back', async (t) => {
    const f = await leaseFixture(t, pg!);
    const { lease, events, lines } = await f.acquire();
    const before = await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash });
    assert.ok(before);
    const terminatedAt = Date.now();
    await f.admin.raw('select pg_terminate_backend(?)', [before.backendPid]);
    await waitUntil(() => events.lost.length === 1, 3_000, 'onLost after pg_terminate_backend');
    assert.ok(Date.now() - terminatedAt < 1_000, `noticed after ${Date.now() - terminatedAt} ms`);
    assert.match(events.lost[0]!.message, /administrator command/);
    await waitUntil(() => events.regained === 1, 3_000, 'onRegained');
    assert.equal(lease.state(), 'held');
    const after = await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash });
    assert.notEqual(after?.backendPid, before.backendPid);
    assert.equal(after?.process?.pid, process.pid);
    assert.equal(events.lost.length, 1);
    lines.forEach(noSecret);
  });

  test('a lease lost while another took it keeps trying and wins only once that one lets go', async (t) => {
    const f = await leaseFixture(t, pg!);
    const proxy = await createTcpProxy(t);
    const a = await f.acquire({ database: f.viaPort(proxy.port) });
    proxy.cut();
    await waitUntil(() => a.events.lost.length === 1, 3_000, 'onLost after the connection was reset');
    assert.equal(a.lease.state(), 'lost');
    const b = await f.acquire({ wait: true, signal: AbortSignal.timeout(5_000) });
    const bHolder = await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash });
    proxy.restore();
    // A reconnects (its backoff is short yet) and sees B holding the lease.
    await waitUntil(() => a.lines.some((line) => line.includes(`backend pid ${bHolder?.backendPid};`)), 12_000, 'A to name B as the holder');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(a.lease.state(), 'lost');
    assert.equal(a.events.regained, 0);
    await b.lease.release();
    await waitUntil(() => a.events.regained === 1, 2_000, 'A to win the lease back');
    assert.equal(a.lease.state(), 'held');
    a.lines.forEach(noSecret);
  });

  test('a session that stops answering is noticed within a few seconds', async (t) => {
    const f = await leaseFixture(t, pg!);
    const proxy = await createTcpProxy(t);
    const { lease, events } = await f.acquire({ database: f.viaPort(proxy.port) });
    void proxy.stallAfter(0);
    const stalledAt = Date.now();
    await waitUntil(() => events.lost.length === 1, 6_000, 'onLost for a silent session');
    assert.ok(Date.now() - stalledAt <= 4_500, `noticed after ${Date.now() - stalledAt} ms`);
    assert.match(events.lost[0]!.message, /stopped answering/);
    proxy.resume();
    await waitUntil(() => events.regained === 1, 8_000, 'onRegained once the server answers again');
    assert.equal(lease.state(), 'held');
  });

  test('our own lost session that the server still keeps is ended, not waited for', async (t) => {
    const f = await leaseFixture(t, pg!);
    const proxy = await createFreezingProxy(t);
    const { lease, events, lines } = await f.acquire({ database: f.viaPort(proxy.port) });
    const before = await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash });
    proxy.freeze();
    await waitUntil(() => events.lost.length === 1, 6_000, 'onLost for the frozen session');
    await waitUntil(() => events.regained === 1, 4_000, 'onRegained after ending the old session');
    // Logged only when the lease was found held by the old session: the server had kept it.
    assert.ok(lines.some((line) => line.includes('Ending our own earlier lease session') && line.includes(`"backendPid":${before?.backendPid}`)));
    const after = await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash });
    assert.notEqual(after?.backendPid, before?.backendPid);
    assert.equal(lease.state(), 'held');
  });

  test('a killed holder frees the lease for another within seconds', async (t) => {
    const f = await leaseFixture(t, pg!);
    const distSrc = pathToFileURL(join(REPO_ROOT, 'dist', 'src')).href;
    const child = spawn(process.execPath, [join(FIXTURES, 'hold-lease.cjs'), distSrc, f.database.url, f.tokenHash], { stdio: ['ignore', 'pipe', 'pipe'] });
    f.defer(() => isAlive(child.pid!) && child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    await waitUntil(() => out.includes('held') || child.exitCode !== null, 10_000, 'the child to take the lease');
    assert.equal(out, 'held\n');
    const refused = await f.acquire().then(() => undefined, (err: unknown) => err);
    assert.ok(refused instanceof LeaseHeldError);
    assert.equal(refused.holder?.process?.pid, child.pid);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const { lease } = await f.acquire({ wait: true, signal: AbortSignal.timeout(5_000) });
    assert.equal(lease.state(), 'held');
    assert.ok(Date.now() - killedAt < 5_000);
  });

  test('release is bounded when the server stops answering', async (t) => {
    const f = await leaseFixture(t, pg!);
    const proxy = await createTcpProxy(t);
    const { lease, events } = await f.acquire({ database: f.viaPort(proxy.port) });
    void proxy.stallAfter(0);
    const startedAt = Date.now();
    await within(4_000, lease.release(), 'release with a silent server');
    assert.ok(Date.now() - startedAt < 2_800, `release took ${Date.now() - startedAt} ms`);
    assert.equal(lease.state(), 'released');
    assert.deepEqual(events.lost, []);
  });

  test('release stops the attempts to win a lost lease back; the server out of reach', async (t) => {
    const f = await leaseFixture(t, pg!);
    const proxy = await createTcpProxy(t);
    const { lease, events } = await f.acquire({ database: f.viaPort(proxy.port) });
    proxy.cut();
    await waitUntil(() => events.lost.length === 1, 3_000, 'onLost after the cut');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const startedAt = Date.now();
    await within(3_000, lease.release(), 'release while reconnecting');
    assert.ok(Date.now() - startedAt < 1_000, `release took ${Date.now() - startedAt} ms`);
    proxy.restore();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(lease.state(), 'released');
    assert.equal(events.regained, 0);
    assert.equal(await findLeaseHolder({ database: f.database, tokenHash: f.tokenHash }), undefined);
  });

  test('an unreachable server fails the acquisition at once, without the password', async (t) => {
    const f = await leaseFixture(t, pg!);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    for (const wait of [false, true]) {
      const startedAt = Date.now();
      const err = await f.acquire({ database: f.viaPort(port), wait }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof LeaseUnavailableError, `expected LeaseUnavailableError, got ${String(err)}`);
      assert.equal(err.code, 'ECONNREFUSED');
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      noSecret(err.message);
      assert.ok(Date.now() - startedAt < 2_000);
    }
  });
});
