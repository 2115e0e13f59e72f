/**
 * Star payments after the charge: refundStarPayment, editUserStarSubscription
 * and getStarTransactions, over the bot's ledger (payment-store.ts). Parameter
 * reading follows the Bot API server: user_id must be an integer,
 * telegram_payment_charge_id is required, offset and limit are clamped.
 */
import type { StarTransactions } from 'grammy/types';
import { badRequest } from './api-error.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { boolParam, clampedIntParam, requireUserId, stringParam } from './params.js';
import type { StarCharge } from './payment-types.js';
import { findCharge, paymentStore, refundCharge } from './payment-store.js';
import { unixTime } from './state.js';
import { listStarTransactions } from './star-transactions.js';

/** Telegram's refusals, after "Bad Request: ". */
export const STAR_ERRORS = {
  chargeNotFound: 'CHARGE_NOT_FOUND',
  alreadyRefunded: 'CHARGE_ALREADY_REFUNDED',
  chargeIdMissing: 'parameter "telegram_payment_charge_id" is required',
} as const;

/** The charge a request names, paid by the user it names. */
function namedCharge(ctx: MethodContext): StarCharge {
  const user = requireUserId(ctx.params);
  const chargeId = stringParam(ctx.params, 'telegram_payment_charge_id') ?? '';
  if (chargeId === '') throw badRequest(STAR_ERRORS.chargeIdMissing);
  const charge = findCharge(paymentStore(ctx.bot), chargeId, user);
  if (!charge) throw badRequest(STAR_ERRORS.chargeNotFound);
  return charge;
}

function refundStarPayment(ctx: MethodContext): true {
  const charge = namedCharge(ctx);
  if (charge.refunded) throw badRequest(STAR_ERRORS.alreadyRefunded);
  refundCharge(paymentStore(ctx.bot), charge, unixTime(ctx.fake));
  return true;
}

function editUserStarSubscription(ctx: MethodContext): true {
  const charge = namedCharge(ctx);
  charge.subscriptionCanceled = boolParam(ctx.params, 'is_canceled');
  return true;
}

function getStarTransactions({ bot, params }: MethodContext): StarTransactions {
  const offset = clampedIntParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = clampedIntParam(params, 'limit', 100, 1, 100);
  return { transactions: listStarTransactions(paymentStore(bot)).slice(offset, offset + limit) };
}

/** refundStarPayment, editUserStarSubscription, getStarTransactions. */
export const STAR_METHODS: MethodTable = { refundStarPayment, editUserStarSubscription, getStarTransactions };
