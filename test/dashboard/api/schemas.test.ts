/** The API's input schemas: what passes, and that every rejection says what is wrong. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { ApiError } from '../../../src/dashboard/api/http-errors.js';
import {
  broadcastBodySchema, chargeIdSchema, grantBodySchema, idSchema, pageQuerySchema, paymentListQuerySchema,
  planCreateBodySchema, userListQuerySchema,
} from '../../../src/dashboard/api/schemas.js';
import { parseInput } from '../../../src/dashboard/api/validate.js';

function rejects(schema: z.ZodType, value: unknown, message: RegExp): void {
  assert.throws(() => parseInput(schema, value, 'the body'), (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, 400);
    assert.equal(err.expose, true);
    assert.match(err.message, message);
    return true;
  });
}

describe('paging', () => {
  test('page from 1, limit 1 to 500, both optional', () => {
    assert.deepEqual(parseInput(pageQuerySchema, {}, 'q'), {});
    assert.deepEqual(parseInput(pageQuerySchema, { page: '2', limit: '500' }, 'q'), { page: 2, limit: 500 });
    assert.deepEqual(parseInput(pageQuerySchema, { page: '1', limit: '1', other: 'ignored' }, 'q'), { page: 1, limit: 1 });
  });

  test('out of range, not whole, negative, empty or repeated is a 400 naming the parameter', () => {
    rejects(pageQuerySchema, { limit: '0' }, /limit must be a whole number from 1 to 500/);
    rejects(pageQuerySchema, { limit: '501' }, /limit must be a whole number from 1 to 500/);
    rejects(pageQuerySchema, { page: '0' }, /page must be a whole number from 1/);
    rejects(pageQuerySchema, { page: '-1' }, /page must be a whole number/);
    rejects(pageQuerySchema, { page: '1.5' }, /page must be a whole number/);
    rejects(pageQuerySchema, { page: '' }, /page must be a whole number/);
    rejects(pageQuerySchema, { page: '1e3' }, /page must be a whole number/);
    rejects(pageQuerySchema, { page: '99999999999999999999' }, /page must be a whole number/);
    rejects(pageQuerySchema, { limit: ['1', '2'] }, /limit must be given once/);
  });
});

describe('list filters', () => {
  test('users: status is one of four, q at most 100 characters', () => {
    assert.deepEqual(parseInput(userListQuerySchema, { status: 'never_paid', q: 'ann' }, 'q'), { status: 'never_paid', q: 'ann' });
    rejects(userListQuerySchema, { status: 'paid' }, /status must be one of active, expired, never_paid, blocked/);
    rejects(userListQuerySchema, { q: 'x'.repeat(101) }, /q must be at most 100/);
    rejects(userListQuerySchema, { q: ['a', 'b'] }, /q must be given once/);
    rejects(userListQuerySchema, { q: 'a\0' }, /NUL/);
  });

  test('payments: format json or csv, status paid or refunded, userId a positive id', () => {
    assert.deepEqual(parseInput(paymentListQuerySchema, { format: 'csv' }, 'q'), { format: 'csv' });
    rejects(paymentListQuerySchema, { format: 'xml' }, /format must be json or csv/);
    rejects(paymentListQuerySchema, { status: 'pending' }, /status must be paid or refunded/);
    rejects(paymentListQuerySchema, { userId: '-4' }, /userId must be a whole number/);
  });
});

describe('path ids', () => {
  test('a positive safe integer; anything else is a 400', () => {
    const id = idSchema('user id');
    assert.equal(parseInput(id, '42', 'p'), 42);
    assert.equal(parseInput(id, String(Number.MAX_SAFE_INTEGER), 'p'), Number.MAX_SAFE_INTEGER);
    for (const bad of ['0', '-1', 'abc', '1.0', '1e5', ' 1', '9007199254740993', '']) rejects(id, bad, /user id must be a whole number from 1/);
  });

  test('a charge id is 1 to 255 characters of anything', () => {
    assert.equal(parseInput(chargeIdSchema, 'stxABC,"x"', 'p'), 'stxABC,"x"');
    rejects(chargeIdSchema, 'x'.repeat(256), /at most 255/);
    rejects(chargeIdSchema, 'x\0', /NUL/);
  });
});

describe('bodies', () => {
  test('grant: duration text, optional positive planId, nothing else', () => {
    assert.deepEqual(parseInput(grantBodySchema, { duration: '30d' }, 'the body'), { duration: '30d' });
    assert.deepEqual(parseInput(grantBodySchema, { duration: 'lifetime', planId: 3 }, 'the body'), { duration: 'lifetime', planId: 3 });
    assert.deepEqual(parseInput(grantBodySchema, { duration: '7d', planId: null }, 'the body'), { duration: '7d', planId: null });
    rejects(grantBodySchema, undefined, /send a JSON object/);
    rejects(grantBodySchema, [], /send a JSON object/);
    rejects(grantBodySchema, 'x', /send a JSON object/);
    rejects(grantBodySchema, {}, /duration must be text/);
    rejects(grantBodySchema, { duration: 30 }, /duration must be text/);
    rejects(grantBodySchema, { duration: '36501d' }, /at most 36500d/);
    rejects(grantBodySchema, { duration: '9000000000000000s' }, /at most 36500d/);
    rejects(grantBodySchema, { duration: '7d', planId: 1.5 }, /planId must be a whole number/);
    rejects(grantBodySchema, { duration: '7d', planId: -1 }, /planId must be 1 or more/);
    rejects(grantBodySchema, { duration: '7d', planId: '3' }, /planId must be a whole number/);
    rejects(grantBodySchema, { duration: '7d', planId: 1e300 }, /planId/);
    rejects(grantBodySchema, { duration: '7d', days: 3 }, /unknown field "days"/);
  });

  test('plans: only plan fields (the domain checks their values), bounded chats and duration', () => {
    const plan = { title: 'Monthly', description: '', price: 250, duration: '30d', chatIds: [-100123], recurring: false };
    assert.deepEqual(parseInput(planCreateBodySchema, plan, 'the body'), plan);
    assert.deepEqual(parseInput(planCreateBodySchema, { active: false }, 'the body'), { active: false });
    rejects(planCreateBodySchema, { ...plan, chatId: -100 }, /unknown field "chatId"/);
    rejects(planCreateBodySchema, JSON.parse('{"__proto__": {"admin": true}}'), /unknown field "__proto__"/);
    rejects(planCreateBodySchema, { ...plan, chatIds: Array.from({ length: 101 }, (_, i) => -100 - i) }, /at most 100 chats/);
    rejects(planCreateBodySchema, { ...plan, duration: '99999d' }, /at most 36500d/);
    rejects(planCreateBodySchema, null, /send a JSON object/);
  });

  test('broadcasts: text and audience strings', () => {
    assert.deepEqual(parseInput(broadcastBodySchema, { text: '<b>Hi</b>', audience: 'all' }, 'the body'), { text: '<b>Hi</b>', audience: 'all' });
    rejects(broadcastBodySchema, { text: '', audience: 'all' }, /text is empty/);
    rejects(broadcastBodySchema, { text: 5, audience: 'all' }, /text must be Telegram HTML text/);
    rejects(broadcastBodySchema, { text: 'x'.repeat(40_000), audience: 'all' }, /at most 32768/);
    rejects(broadcastBodySchema, { text: 'Hi' }, /audience must be active, expired or all/);
    rejects(broadcastBodySchema, { text: 'Hi', audience: 'all', extra: 1 }, /unknown field "extra"/);
  });
});
