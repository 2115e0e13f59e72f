/**
 * The plan forms: create, edit, disable and enable go through the domain's
 * plan rules (the same as the CLI and the API), land in the database with an
 * audit entry, and redirect 303; a broken rule re-renders the form with its
 * message and what was typed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { assertCspClean } from './markup.js';
import { ACTOR, DEFAULT_CHAT, startPages } from './pages-fixture.js';

const FORM = { title: 'Gold', description: 'All the rooms', price: '300', duration: '30d', chatIds: '-1001,\n-1002' };

async function auditOf(f: Awaited<ReturnType<typeof startPages>>) {
  const rows = await f.db.knex('audit_log').orderBy('id').select('actor', 'action', 'target', 'details');
  return rows.map((r) => ({ ...r, details: JSON.parse(String(r.details)) as Record<string, unknown> }));
}

for (const database of await testDatabases()) {
  describe(`plan pages (${database.kind})`, () => {
    test('create, edit, disable and enable a plan', async (t) => {
      const f = await startPages(t, database);
      const created = await f.post('/plans', { ...FORM, recurring: 'on' });
      assert.equal(created.status, 303);
      assert.equal(created.headers.get('location'), '/plans?done=plan-created');
      const [plan] = await f.store.plans.list();
      assert.deepEqual({ ...plan }, { id: plan!.id, title: 'Gold', description: 'All the rooms', price: 300, duration: '30d', chatIds: [-1001, -1002], active: true, recurring: true });
      assert.match((await f.get('/plans?done=plan-created')).text, /Plan created\./);

      const edited = await f.post(`/plans/${plan!.id}`, { ...FORM, title: 'Gold+', price: '350', duration: '60d', chatIds: '-1003' });
      assert.equal(edited.status, 303);
      assert.equal(edited.headers.get('location'), `/plans/${plan!.id}?done=plan-saved`);
      const after = await f.store.plans.get(plan!.id);
      assert.deepEqual([after?.title, after?.price, after?.duration, after?.chatIds, after?.recurring], ['Gold+', 350, '60d', [-1003], false], 'an unticked box is not recurring');

      const disabled = await f.post(`/plans/${plan!.id}/active`, { active: 'false', from: 'list' });
      assert.equal(disabled.status, 303);
      assert.equal(disabled.headers.get('location'), '/plans?done=plan-disabled');
      assert.equal((await f.store.plans.get(plan!.id))?.active, false);
      assert.match((await f.get('/plans')).text, />Enable<\/button>/);
      const enabled = await f.post(`/plans/${plan!.id}/active`, { active: 'true', from: 'plan' });
      assert.equal(enabled.headers.get('location'), `/plans/${plan!.id}?done=plan-enabled`);
      assert.equal((await f.store.plans.get(plan!.id))?.active, true);

      const audit = await auditOf(f);
      assert.deepEqual(audit.map((a) => [a.actor, a.action, a.target, a.details.change]), [
        [ACTOR, 'plan', `plan:${plan!.id}`, 'create'], [ACTOR, 'plan', `plan:${plan!.id}`, 'edit'],
        [ACTOR, 'plan', `plan:${plan!.id}`, 'disable'], [ACTOR, 'plan', `plan:${plan!.id}`, 'enable'],
      ]);
      assert.equal(audit[1]!.details.title, 'Gold+');
    });

    test('empty chats use PAYWALL_CHAT_ID on create, like the CLI', async (t) => {
      const f = await startPages(t, database);
      assert.equal((await f.post('/plans', { ...FORM, chatIds: '' })).status, 303);
      assert.deepEqual((await f.store.plans.list())[0]?.chatIds, [DEFAULT_CHAT]);
    });

    test('broken rules re-render the form with the message and what was typed', async (t) => {
      const f = await startPages(t, database, { defaultChatId: null });
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ ...FORM, title: '  ' }, /A plan title must be 1 to 128 characters/],
        [{ ...FORM, price: 'lots' }, /A plan price must be a whole number of Stars from 1 to 100000 \(got &quot;lots&quot;\)/],
        [{ ...FORM, price: '0' }, /A plan price must be a whole number/],
        [{ ...FORM, duration: 'forever' }, /A plan duration must be a positive whole number and a unit/],
        [{ ...FORM, duration: '7d', recurring: 'on' }, /A recurring plan must last exactly 30d/],
        [{ ...FORM, chatIds: 'the-vip-room' }, /A chat id must be a non-zero whole number/],
        [{ ...FORM, chatIds: '' }, /A plan needs at least one chat/],
        [{ ...FORM, duration: '99999d' }, /at most 36500d/],
      ];
      for (const [form, message] of cases) {
        const res = await f.post('/plans', form);
        assert.equal(res.status, 400, `${JSON.stringify(form)} is refused`);
        assert.match(res.text, message);
        assert.match(res.text, /id="plan-error"/);
        assert.match(res.text, new RegExp(`id="plan-price" name="price" type="number" value="${form.price}"`), 'the price typed is kept');
        assertCspClean(res.text, 'refused plan');
      }
      assert.deepEqual(await f.store.plans.list(), [], 'nothing was stored');
      assert.deepEqual(await auditOf(f), [], 'nor audited');

      assert.equal((await f.post('/plans', FORM)).status, 303);
      const [plan] = await f.store.plans.list();
      const badEdit = await f.post(`/plans/${plan!.id}`, { ...FORM, title: 'X', price: '-5' });
      assert.equal(badEdit.status, 400);
      assert.match(badEdit.text, /id="plan-title" name="title" type="text" value="X"/);
      assert.equal((await f.store.plans.get(plan!.id))?.price, 300, 'the plan is unchanged');
      assert.equal((await f.post('/plans/4242', FORM)).status, 404);
      assert.equal((await f.post('/plans/4242/active', { active: 'false' })).status, 404);
      assert.equal((await f.post(`/plans/${plan!.id}/active`, { active: 'maybe' })).status, 400);
      assert.equal((await f.post('/plans/99999999999/active', { active: 'false' })).status, 404);
      assert.deepEqual(f.logLines, []);
    });
  });
}
