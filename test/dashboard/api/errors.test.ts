/** One mapping of domain error codes to statuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusOfPaywallError } from '../../../src/dashboard/api/errors.js';

test('unknown ids 404, refused refunds 409, the rest 400', () => {
  for (const code of ['PLAN_NOT_FOUND', 'USER_NOT_FOUND', 'PAYMENT_NOT_FOUND', 'BROADCAST_NOT_FOUND'] as const) assert.equal(statusOfPaywallError(code), 404);
  for (const code of ['ALREADY_REFUNDED', 'REFUND_QUEUED'] as const) assert.equal(statusOfPaywallError(code), 409);
  for (const code of ['PLAN_INVALID', 'DURATION_INVALID', 'BROADCAST_INVALID', 'NO_DEFAULT_CHAT', 'PLAN_UNAVAILABLE'] as const) assert.equal(statusOfPaywallError(code), 400);
});
