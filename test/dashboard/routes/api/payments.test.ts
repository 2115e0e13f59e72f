/** `/api/payments`: pages, CSV export, refunds; `/api/stats` net of refunds — on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { streamPaymentExport } from '../../../../src/db/read-models/payments.js';
import { testDatabases } from '../../../helpers/databases.js';
import { seedPayment, seedUser, startApi } from '../../api/api-fixture.js';

const DAY = 86_400_000;

for (const database of await testDatabases()) {
  describe(`/api/payments (${database.kind})`, () => {
    test('a page of payments, newest first, with the SPEC shape', async (t) => {
      const api = await startApi(t, database);
      await seedUser(api.store, 7, { firstName: 'Ann' });
      for (let i = 1; i <= 3; i++) await seedPayment(api.store, `c${i}`, 7, i * 100, new Date(Date.UTC(2026, 1, i)));
      const list = await api.request('GET', '/api/payments?limit=2');
      assert.equal(list.status, 200);
      assert.equal(list.body.total, 3);
      assert.deepEqual(list.body.items[0], { chargeId: 'c3', userId: 7, planId: null, amount: 300, currency: 'XTR', status: 'paid', createdAt: '2026-02-03T00:00:00.000Z', refundedAt: null });
      assert.deepEqual((await api.request('GET', '/api/payments?limit=2&page=2')).body.items.map((p: { chargeId: string }) => p.chargeId), ['c1']);
      assert.equal((await api.request('GET', '/api/payments?limit=501')).status, 400);
      assert.equal((await api.request('GET', '/api/payments?format=xml')).status, 400);
    });

    test('refund: 202 with the job id, 409 while queued or once refunded, 404 unknown', async (t) => {
      const api = await startApi(t, database);
      await seedUser(api.store, 7);
      await seedPayment(api.store, 'charge,with "odd" chars', 7, 100, api.now());
      const path = `/api/payments/${encodeURIComponent('charge,with "odd" chars')}/refund`;
      const queued = await api.request('POST', path);
      assert.equal(queued.status, 202, queued.text);
      assert.deepEqual(Object.keys(queued.body), ['jobId']);
      assert.equal(Number.isInteger(queued.body.jobId), true);
      const again = await api.request('POST', path);
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'REFUND_QUEUED');
      await api.store.payments.markRefunded('charge,with "odd" chars', api.now());
      assert.equal((await api.request('POST', path)).status, 409);
      const unknown = await api.request('POST', '/api/payments/nope/refund');
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.error, /no payment/);
    });

    test('stats: users, active subscribers, revenue all time / today / 30 days and payments, net of refunds', async (t) => {
      const api = await startApi(t, database);
      const now = api.now().getTime();
      for (const id of [1, 2, 3]) await seedUser(api.store, id);
      await api.request('POST', '/api/users/1/grant', { body: { duration: '30d' } });
      await seedPayment(api.store, 'today', 1, 100, new Date(now - 60_000));
      await seedPayment(api.store, 'week', 2, 200, new Date(now - 7 * DAY));
      await seedPayment(api.store, 'old', 2, 400, new Date(now - 60 * DAY));
      await seedPayment(api.store, 'refunded', 3, 800, new Date(now - 60_000));
      await api.store.payments.markRefunded('refunded', api.now());
      const stats = await api.request('GET', '/api/stats');
      assert.equal(stats.status, 200);
      assert.deepEqual(stats.body, { users: 3, activeSubscribers: 1, revenueStars: 700, revenueToday: 100, revenue30d: 300, payments: 3, refunds: 1 });
    });

    test('CSV: a header row and every payment with its user names, quoted so that it parses back', async (t) => {
      const api = await startApi(t, database);
      const odd = { username: 'we,ird', firstName: 'Ann "The Quote"', lastName: 'Line\nBreak\r\nTwo' };
      await seedUser(api.store, 9, odd);
      await seedPayment(api.store, 'c,1', 9, 10, new Date('2026-02-01T00:00:00Z'));
      await seedPayment(api.store, 'c"2', 9, 20, new Date('2026-02-02T00:00:00Z'));
      await seedPayment(api.store, 'c3', 404, 30, new Date('2026-02-03T00:00:00Z'));
      const res = await api.request('GET', '/api/payments?format=csv');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="payments.csv"/);
      const rows = parse(res.text, { columns: true }) as Record<string, string>[];
      assert.equal(rows.length, 3);
      assert.deepEqual(rows[0], { chargeId: 'c,1', userId: '9', planId: '', amount: '10', currency: 'XTR', status: 'paid', createdAt: '2026-02-01T00:00:00.000Z', refundedAt: '', ...odd });
      assert.equal(rows[1]!.chargeId, 'c"2');
      assert.deepEqual([rows[2]!.chargeId, rows[2]!.username, rows[2]!.firstName], ['c3', '', ''], 'a payment of an unknown user still appears');
    });

    test('CSV: text that a spreadsheet would run as a formula (or that starts with an apostrophe) gets one leading apostrophe', async (t) => {
      const api = await startApi(t, database);
      const names = [['=1+2', '+SUM(A1)', '-2'], ['@cmd', '\tTab', '\rCR'], ["'quoted", 'a=b', 'safe -x']];
      for (const [i, [username, firstName, lastName]] of names.entries()) {
        await seedUser(api.store, i + 1, { username: username!, firstName: firstName!, lastName: lastName! });
        await seedPayment(api.store, i === 0 ? '=charge' : `c${i}`, i + 1, 10, new Date(Date.UTC(2026, 1, i + 1)));
      }
      const rows = parse((await api.request('GET', '/api/payments?format=csv')).text, { columns: true }) as Record<string, string>[];
      assert.deepEqual(rows.map((r) => [r.chargeId, r.username, r.firstName, r.lastName]), [
        ["'=charge", "'=1+2", "'+SUM(A1)", "'-2"],
        ['c1', "'@cmd", "'\tTab", "'\rCR"],
        ['c2', "''quoted", 'a=b', 'safe -x'],
      ]);
      assert.deepEqual(rows.map((r) => [r.amount, r.createdAt]), names.map((_, i) => ['10', new Date(Date.UTC(2026, 1, i + 1)).toISOString()]), 'numbers and times as they are');
    });

    test('the export reads in keyset batches: ties on created_at and batch boundaries lose and repeat nothing', async (t) => {
      const api = await startApi(t, database);
      const at = new Date('2026-02-01T00:00:00Z');
      const ids = ['e', 'a', 'd', 'b', 'c', 'f', 'g'];
      for (const id of ids) await seedPayment(api.store, id, 1, 1, id === 'g' ? new Date(at.getTime() - 1) : at);
      const seen: string[] = [];
      for await (const row of streamPaymentExport(api.db.knex, 2)) seen.push((row as { payment: { chargeId: string } }).payment.chargeId);
      assert.deepEqual(seen, ['g', 'a', 'b', 'c', 'd', 'e', 'f']);
      const empty = await startApi(t, database);
      assert.equal((await empty.request('GET', '/api/payments?format=csv')).text.trim(), 'chargeId,userId,planId,amount,currency,status,createdAt,refundedAt,username,firstName,lastName');
    });
  });
}
