/**
 * The user page's forms do what they say through the domain (checked in the
 * database), answer 303 back with a fixed message, and on a refusal show the
 * page again with the error and what was typed (4xx, never 500).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { assertCspClean } from './markup.js';
import { ACTOR, DEFAULT_CHAT, EVIL, startPages } from './pages-fixture.js';
import { CHAT, seedShop, USERS } from './seed.js';

const DAY = 86_400_000;

for (const database of await testDatabases()) {
  describe(`user page actions (${database.kind})`, () => {
    test('grant, extend, revoke and refund change the database and redirect 303 with a fixed message', async (t) => {
      const f = await startPages(t, database);
      const { monthly } = await seedShop(f);
      const now = f.now();

      const granted = await f.post(`/users/${USERS.visitor}/grant`, { duration: '7d', planId: '' });
      assert.equal(granted.status, 303);
      assert.equal(granted.headers.get('location'), `/users/${USERS.visitor}?done=granted`);
      const [sub] = await f.store.subscriptions.forUser(USERS.visitor);
      assert.deepEqual([sub?.planId, sub?.chatIds, sub?.expiresAt?.getTime()], [null, [DEFAULT_CHAT], now.getTime() + 7 * DAY], 'a grant without a plan covers the default chat');
      const page = await f.get(`/users/${USERS.visitor}?done=granted`);
      assert.match(page.text, /<p class="flash flash-notice" role="status">Access granted\.<\/p>/);
      assert.match(page.text, /Send invite links \(grant\)/, 'the invite job is listed');
      assert.match(page.text, /id="runtime-down"/, 'and the page says it waits for a bot runtime');

      const [evilSub] = await f.store.subscriptions.forUser(USERS.evil);
      const extended = await f.post(`/users/${USERS.evil}/extend`, { subscriptionId: String(evilSub!.id), duration: '10d' });
      assert.equal(extended.status, 303);
      assert.equal(extended.headers.get('location'), `/users/${USERS.evil}?done=extended`);
      const after = await f.store.subscriptions.get(evilSub!.id);
      assert.equal(after!.expiresAt!.getTime(), evilSub!.expiresAt!.getTime() + 10 * DAY, 'extended from the current expiry, on the same plan');
      assert.equal(after!.planId, monthly.id);

      const revoked = await f.post(`/users/${USERS.evil}/revoke`, {});
      assert.equal(revoked.status, 303);
      assert.equal(revoked.headers.get('location'), `/users/${USERS.evil}?done=revoked`);
      assert.equal((await f.store.subscriptions.get(evilSub!.id))!.status, 'revoked');

      const refunded = await f.post(`/users/${USERS.cy}/refund`, { chargeId: 'charge-cy-1' });
      assert.equal(refunded.status, 303);
      assert.equal(refunded.headers.get('location'), `/users/${USERS.cy}?done=refund-queued`);
      const job = await f.store.jobs.byDedupeKey('refund:charge-cy-1');
      assert.equal(job?.status, 'queued');
      const cyPage = await f.get(`/users/${USERS.cy}`);
      assert.match(cyPage.text, /refund queued/, 'the payment shows its refund queued instead of a button');
      assert.match(cyPage.text, /Refund payment charge-cy-1/, 'and the refund job is listed');

      const audit = await f.db.knex('audit_log').where('actor', ACTOR).orderBy('id').select('action');
      assert.deepEqual(audit.map((r) => r.action), ['grant', 'grant', 'revoke', 'refund'], 'the domain recorded who did it');
    });

    test('a grant to a new user id creates them and lands on their page', async (t) => {
      const f = await startPages(t, database);
      const { week } = await seedShop(f);
      const res = await f.post('/users/grant', { userId: '555000111', duration: '3d', planId: String(week.id) });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/users/555000111?done=granted');
      const [sub] = await f.store.subscriptions.forUser(555000111);
      assert.deepEqual([sub?.planId, sub?.chatIds], [week.id, [CHAT]]);
      assert.equal((await f.get('/users/555000111')).status, 200);
    });

    test('refusals: the page again with the error beside its form and what was typed', async (t) => {
      const f = await startPages(t, database);
      await seedShop(f);
      const bad = await f.post(`/users/${USERS.evil}/grant`, { duration: '7 weeks', planId: '' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="grant-error"[^>]*>&quot;7 weeks&quot; is not a duration/);
      assert.match(bad.text, /id="grant-duration" name="duration" type="text" value="7 weeks"/, 'what was typed is kept');
      assert.ok(!bad.text.includes(EVIL));
      assertCspClean(bad.text, 'refused grant');

      const noPlan = await f.post(`/users/${USERS.evil}/grant`, { duration: '7d', planId: '999' });
      assert.equal(noPlan.status, 404);
      assert.match(noPlan.text, /There is no plan 999\./);
      const hugePlan = await f.post(`/users/${USERS.evil}/grant`, { duration: '7d', planId: '99999999999' });
      assert.equal(hugePlan.status, 404);
      const tooLong = await f.post(`/users/${USERS.evil}/grant`, { duration: '99999d', planId: '' });
      assert.equal(tooLong.status, 400);
      assert.match(tooLong.text, /at most 36500d/);

      const foreignSub = await f.post(`/users/${USERS.visitor}/extend`, { subscriptionId: '1', duration: '1d' });
      assert.equal(foreignSub.status, 404, "another user's subscription is not this user's");
      assert.match(foreignSub.text, /id="form-error"[^>]*>User 103 has no subscription 1\./);
      const [evilSub] = await f.store.subscriptions.forUser(USERS.evil);
      const badExtend = await f.post(`/users/${USERS.evil}/extend`, { subscriptionId: String(evilSub!.id), duration: 'soon' });
      assert.equal(badExtend.status, 400);
      assert.match(badExtend.text, new RegExp(`id="extend-${evilSub!.id}-duration" name="duration" type="text" value="soon"`));
      assert.equal((await f.store.subscriptions.get(evilSub!.id))!.expiresAt!.getTime(), evilSub!.expiresAt!.getTime(), 'nothing changed');

      const foreignCharge = await f.post(`/users/${USERS.evil}/refund`, { chargeId: 'charge-cy-1' });
      assert.equal(foreignCharge.status, 404);
      assert.equal(await f.store.jobs.byDedupeKey('refund:charge-cy-1'), undefined, 'no refund was queued');
      assert.equal((await f.post(`/users/${USERS.cy}/refund`, { chargeId: 'charge-cy-1' })).status, 303);
      const twice = await f.post(`/users/${USERS.cy}/refund`, { chargeId: 'charge-cy-1' });
      assert.equal(twice.status, 409);
      assert.match(twice.text, /A refund of this payment is already queued\./);

      const unknownRevoke = await f.post('/users/424242/revoke', {});
      assert.equal(unknownRevoke.status, 404);
      assert.match(unknownRevoke.text, /There is no user 424242\./);
      const byId = await f.post('/users/grant', { userId: 'bob', duration: '7d', planId: '' });
      assert.equal(byId.status, 400);
      assert.match(byId.text, /id="grant-user-id" name="userId" type="text" value="bob"/);
      const nul = await f.post(`/users/${USERS.evil}/grant`, { duration: '7d\0', planId: '' });
      assert.equal(nul.status, 400);
      assert.deepEqual(f.logLines, [], 'no refusal was an unexpected error');
    });

    test('without PAYWALL_CHAT_ID a grant without a plan is refused, saying why', async (t) => {
      const f = await startPages(t, database, { defaultChatId: null });
      await seedShop(f);
      const res = await f.post(`/users/${USERS.visitor}/grant`, { duration: '7d', planId: '' });
      assert.equal(res.status, 400);
      assert.match(res.text, /needs PAYWALL_CHAT_ID/);
      assert.deepEqual(await f.store.subscriptions.forUser(USERS.visitor), []);
    });
  });
}
