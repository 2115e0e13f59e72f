/** Plan rules: pure, no database. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPaywallError, mergePlanPatch, parsePlanDuration, planDurationSeconds, validatePlan, PaywallError, type PlanDraft } from '../../src/paywall/index.js';

const VALID: PlanDraft = { title: 'Monthly', price: 250, duration: '30d', chatIds: [-1001234567890] };

function rejects(draft: PlanDraft, field: string, message: RegExp, options = {}): void {
  assert.throws(() => validatePlan(draft, options), (err: unknown) => {
    assert.ok(isPaywallError(err, 'PLAN_INVALID'), String(err));
    assert.equal(err.data.field, field);
    assert.match(err.message, message);
    return true;
  });
}

describe('plan rules', () => {
  test('a valid draft becomes normalised fields with defaults', () => {
    assert.deepEqual(validatePlan({ ...VALID, title: '  Monthly  ', chatIds: ['-1001234567890', -1001234567890, 42] }), {
      title: 'Monthly', description: '', price: 250, duration: '30d', durationSeconds: 2_592_000, chatIds: [-1001234567890, 42], recurring: false, active: true,
    });
    assert.equal(validatePlan({ ...VALID, duration: 'lifetime' }).durationSeconds, null);
    assert.equal(validatePlan({ ...VALID, duration: '030d', recurring: true }).duration, '30d');
  });

  test('title is 1 to 128 characters', () => {
    rejects({ ...VALID, title: '' }, 'title', /1 to 128 characters/);
    rejects({ ...VALID, title: '   ' }, 'title', /1 to 128/);
    rejects({ ...VALID, title: undefined }, 'title', /got none/);
    rejects({ ...VALID, title: 'x'.repeat(129) }, 'title', /got 129/);
    assert.equal(validatePlan({ ...VALID, title: '★'.repeat(128) }).title.length, 128);
  });

  test('description is at most 1024 characters', () => {
    rejects({ ...VALID, description: 'd'.repeat(1025) }, 'description', /at most 1024/);
    rejects({ ...VALID, description: 5 }, 'description', /text/);
    assert.equal(validatePlan({ ...VALID, description: 'd'.repeat(1024) }).description.length, 1024);
  });

  test('price is a whole number of Stars from 1 to 100000', () => {
    for (const price of [0, -5, 1.5, 100_001, '250', Number.NaN, undefined]) rejects({ ...VALID, price }, 'price', /whole number of Stars from 1 to 100000/);
    assert.equal(validatePlan({ ...VALID, price: 100_000 }).price, 100_000);
    assert.equal(validatePlan({ ...VALID, price: 1 }).price, 1);
  });

  test('duration is <integer><s|m|h|d> above zero, or lifetime', () => {
    for (const duration of ['0d', '30', 'd', '1w', '1.5d', '-1d', 'forever', '', 30, undefined]) rejects({ ...VALID, duration }, 'duration', /such as 30d, or lifetime/);
    assert.equal(validatePlan({ ...VALID, duration: '90s' }).durationSeconds, 90);
    assert.equal(validatePlan({ ...VALID, duration: '12h' }).durationSeconds, 43_200);
    assert.deepEqual(parsePlanDuration('5m'), { text: '5m', seconds: 300 });
    assert.equal(parsePlanDuration('0s'), undefined);
    assert.equal(planDurationSeconds({ duration: '7d' }), 604_800);
  });

  test('recurring needs exactly 30d, and the error names the rule', () => {
    rejects({ ...VALID, duration: '7d', recurring: true }, 'recurring', /recurring plan must last exactly 30d.*got 7d/);
    rejects({ ...VALID, duration: '720h', recurring: true }, 'recurring', /exactly 30d/);
    rejects({ ...VALID, duration: 'lifetime', recurring: true }, 'recurring', /exactly 30d/);
    rejects({ ...VALID, recurring: 'yes' }, 'recurring', /true or false/);
    assert.equal(validatePlan({ ...VALID, recurring: true }).recurring, true);
  });

  test('at least one chat: the default chat fills in, none at all names --chat and PAYWALL_CHAT_ID', () => {
    rejects({ ...VALID, chatIds: undefined }, 'chatIds', /--chat.*PAYWALL_CHAT_ID/);
    rejects({ ...VALID, chatIds: [] }, 'chatIds', /at least one chat/);
    assert.deepEqual(validatePlan({ ...VALID, chatIds: undefined }, { defaultChatId: -100777 }).chatIds, [-100777]);
    assert.deepEqual(validatePlan({ ...VALID, chatIds: [5] }, { defaultChatId: -100777 }).chatIds, [5], 'given chats win over the default');
  });

  test('chat ids are non-zero integers', () => {
    for (const bad of [0, '0', 1.5, 'abc', '-100abc', null, Number.MAX_SAFE_INTEGER + 2]) rejects({ ...VALID, chatIds: [bad] }, 'chatIds', /non-zero whole number/);
    rejects({ ...VALID, chatIds: -100 }, 'chatIds', /list/);
  });

  test('errors are PaywallErrors with a code, a message and data', () => {
    try {
      validatePlan({ ...VALID, price: 0 });
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof PaywallError);
      assert.equal(err.code, 'PLAN_INVALID');
      assert.equal(err.data.rule, 'price-range');
      assert.equal(err.data.value, 0);
    }
  });

  test('a patch overrides only the given fields; chatIds replaces the list', () => {
    const current = { id: 1, title: 'A', description: 'd', price: 5, duration: '30d', chatIds: [1, 2], active: true, recurring: true };
    assert.deepEqual(mergePlanPatch(current, { price: 9, chatIds: [3] }), { title: 'A', description: 'd', price: 9, duration: '30d', chatIds: [3], recurring: true, active: true });
  });
});
