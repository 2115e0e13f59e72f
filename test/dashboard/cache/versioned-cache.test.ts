import assert from 'node:assert/strict';
import { test } from 'node:test';
import { versionedCache } from '../../../src/dashboard/cache/versioned-cache.js';

function rig(options: { freshMs?: number; revalidateAfterMs?: number; maxStaleMs?: number } = {}) {
  let clock = 1_000;
  let version = 'v1';
  let loads = 0;
  let fail = false;
  const errors: unknown[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  let loadMs = 0;
  const read = versionedCache(
    async (now) => {
      loads += 1;
      clock += loadMs;
      if (hold) await new Promise<void>((resolve) => { release = resolve; });
      if (fail) throw new Error('database down');
      return `${version}@${now.getTime()}#${loads}`;
    },
    { freshMs: options.freshMs ?? 0, revalidateAfterMs: options.revalidateAfterMs ?? 500, maxStaleMs: options.maxStaleMs ?? 5_000, version: async () => version, now: () => clock, onError: (err) => errors.push(err) },
  );
  return {
    read,
    tick: (ms: number) => { clock += ms; },
    setVersion: (v: string) => { version = v; },
    loads: () => loads,
    setFail: (value: boolean) => { fail = value; },
    setHold: (value: boolean) => { hold = value; },
    setLoadMs: (ms: number) => { loadMs = ms; },
    release: () => release?.(),
    errors,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('versionedCache: the same version is served stale while one refresh runs in the background', async () => {
  const r = rig();
  assert.equal(await r.read(), 'v1@1000#1');
  r.tick(100);
  assert.equal(await r.read(), 'v1@1000#1');
  await settle();
  assert.equal(r.loads(), 1, 'younger than revalidateAfterMs: no refresh');
  r.tick(1_000);
  assert.equal(await r.read(), 'v1@1000#1', 'served at once from the cache');
  await settle();
  assert.equal(r.loads(), 2, 'and refreshed in the background');
  assert.equal(await r.read(), 'v1@2100#2', 'the refreshed value is served next');
});

test('versionedCache: a new version waits for a fresh result; so does a result older than maxStaleMs', async () => {
  const r = rig();
  await r.read();
  r.setVersion('v2');
  assert.equal(await r.read(), 'v2@1000#2', 'a write is seen at once');
  r.tick(6_000);
  assert.equal(await r.read(), 'v2@7000#3', 'too old: waited for a fresh one');
});

test('versionedCache: concurrent first reads share one load; freshMs skips the version probe', async () => {
  const r = rig({ freshMs: 500 });
  r.setHold(true);
  const both = Promise.all([r.read(), r.read(), r.read()]);
  await settle();
  r.release();
  const values = await both;
  assert.deepEqual(new Set(values), new Set(['v1@1000#1']));
  assert.equal(r.loads(), 1);
  r.setHold(false);
  r.setVersion('v2');
  r.tick(100);
  assert.equal(await r.read(), 'v1@1000#1', 'within freshMs the version is not asked');
});

test('versionedCache: a failed background refresh keeps the stale value and reports the error; a failed wait rejects', async () => {
  const r = rig();
  await r.read();
  r.setFail(true);
  r.tick(1_000);
  assert.equal(await r.read(), 'v1@1000#1');
  await settle();
  assert.equal(r.errors.length, 1);
  r.setVersion('v2');
  await assert.rejects(r.read(), /database down/);
  r.setFail(false);
  assert.equal(await r.read(), 'v2@2000#4', 'works again once the database is back');
});

test('versionedCache: a slow read is refreshed in the background at most every ten times it took, up to half of maxStaleMs', async () => {
  const r = rig({ revalidateAfterMs: 500, maxStaleMs: 60_000 });
  r.setLoadMs(200);
  await r.read();
  r.tick(1_500);
  await r.read();
  await settle();
  assert.equal(r.loads(), 1, 'after 1.7 s, less than ten reads of 200 ms: no refresh');
  r.tick(400);
  await r.read();
  await settle();
  assert.equal(r.loads(), 2, 'after 2.1 s: refreshed');
  r.setLoadMs(10_000);
  r.setVersion('v2');
  await r.read(); // started at the read, it is 10 s old once loaded
  r.tick(19_000);
  await r.read();
  await settle();
  assert.equal(r.loads(), 3, 'a 10 s read: not refreshed before half of maxStaleMs (30 s)');
  r.tick(2_000);
  await r.read();
  await settle();
  assert.equal(r.loads(), 4, 'but then');
});
