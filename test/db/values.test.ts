/** Column conventions: bigint ids, instants, booleans read back the same on both databases. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromDbBool, fromDbInt, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../src/db/index.js';
import { openTestDb, testDatabases } from '../helpers/databases.js';

const CHAT_ID = -1001234567890;
const BIG_USER_ID = 7_999_999_999;

for (const testDb of await testDatabases()) {
  describe(`stored values (${testDb.kind})`, () => {
    test('bigint chat and user ids round-trip exactly', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await db.knex('protected_chats').insert({ chat_id: CHAT_ID, title: 'VIP', type: 'supergroup', can_invite_users: true });
      await db.knex('users').insert({ id: BIG_USER_ID, first_name: 'Ana', first_seen_at: toDbTime(new Date()) });
      const chat = await db.knex('protected_chats').where({ chat_id: CHAT_ID }).first();
      assert.equal(fromDbInt(chat.chat_id), CHAT_ID);
      assert.equal(typeof chat.chat_id, 'number');
      assert.equal(fromDbBool(chat.can_invite_users), true);
      assert.equal(fromDbBool(chat.can_restrict_members), false);
      const user = await db.knex('users').where({ id: BIG_USER_ID }).first();
      assert.equal(user.id, BIG_USER_ID);
      const [{ n }] = await db.knex('users').count({ n: '*' });
      assert.equal(fromDbInt(n), 1);
    });

    test('times read back as the same instant, to the millisecond', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const instants = [new Date('2024-02-29T23:59:59.999Z'), new Date('1999-12-31T00:00:00.001Z'), new Date(Date.UTC(2038, 0, 19, 3, 14, 8, 7))];
      for (const [i, at] of instants.entries()) {
        await db.knex('audit_log').insert({ actor: 'test', action: `a${i}`, created_at: toDbTime(at) });
      }
      const rows = await db.knex('audit_log').orderBy('id').select('created_at');
      assert.deepEqual(rows.map((r: { created_at: unknown }) => fromDbTime(r.created_at).toISOString()), instants.map((d) => d.toISOString()));
      // Comparisons work on the stored form identically on both databases.
      const later = await db.knex('audit_log').where('created_at', '>', toDbTime(new Date('2000-01-01T00:00:00Z'))).count({ n: '*' });
      assert.equal(fromDbInt(later[0]!.n), 2);
      assert.equal(fromDbTimeOrNull(null), null);
    });

    test('CHECK constraints refuse unknown statuses', async (t) => {
      const { db } = await openTestDb(t, testDb);
      const now = toDbTime(new Date());
      await assert.rejects(db.knex('jobs').insert({ type: 'x', status: 'bogus', run_at: now, created_at: now, updated_at: now }));
      await db.knex('jobs').insert({ type: 'x', run_at: now, created_at: now, updated_at: now, dedupe_key: null });
      await db.knex('jobs').insert({ type: 'y', run_at: now, created_at: now, updated_at: now, dedupe_key: null });
      assert.equal((await db.knex('jobs').where({ status: 'queued' })).length, 2, 'NULL dedupe keys do not collide');
    });

    test('foreign keys are enforced', async (t) => {
      const { db } = await openTestDb(t, testDb);
      await assert.rejects(db.knex('plan_chats').insert({ plan_id: 999, chat_id: CHAT_ID, position: 0 }));
    });
  });
}
