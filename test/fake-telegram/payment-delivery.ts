/**
 * The messages Telegram sends a bot about money: successful_payment after a
 * charge and refunded_payment after a refund, both as service messages from
 * the user in their private chat with the bot.
 */
import type { Message, RefundedPayment, SuccessfulPayment, User } from 'grammy/types';
import type { BotState } from './bot-state.js';
import { STARS } from './invoice-rules.js';
import type { StarCharge } from './payment-types.js';
import { privateChat, unixTime, type FakeState } from './state.js';
import type { FakeUser, UpdateInput } from './types.js';
import { pushUpdate, userObject } from './user-actions.js';

/** The fields of a successful_payment that may differ from the charge (a tampered duplicate…). */
export type PaymentMessageOverrides = Partial<Pick<StarCharge, 'payload' | 'amount' | 'currency' | 'subscriptionExpirationDate' | 'isRecurring' | 'isFirstRecurring'>>;

/** The successful_payment object for a charge. */
export function successfulPayment(charge: StarCharge, overrides: PaymentMessageOverrides = {}): SuccessfulPayment {
  const fields = { ...charge, ...definedOnly(overrides) };
  const payment: SuccessfulPayment = {
    currency: fields.currency,
    total_amount: fields.amount,
    invoice_payload: fields.payload,
    telegram_payment_charge_id: charge.chargeId,
    // Stars payments have no payment provider; Telegram sends an empty id.
    provider_payment_charge_id: fields.currency === STARS ? '' : `fake_provider_${charge.chargeId.slice(3, 19)}`,
  };
  if (fields.subscriptionExpirationDate !== undefined) payment.subscription_expiration_date = fields.subscriptionExpirationDate;
  if (fields.isRecurring) payment.is_recurring = true;
  if (fields.isFirstRecurring) payment.is_first_recurring = true;
  return payment;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Pushes a service message from the user in their private chat; returns its update_id. */
function pushFromUser(state: FakeState, bot: BotState, user: FakeUser | User, date: number, content: Record<string, unknown>): number {
  const message = {
    message_id: bot.chats.allocateMessageId(user.id),
    from: userObject(user),
    chat: privateChat(user),
    date,
    ...content,
  } as unknown as Message;
  return pushUpdate(bot, { message } as UpdateInput);
}

/**
 * Pushes the successful_payment message of a charge, dated when the charge
 * was made (a held-back update keeps its date, as Telegram's queue would).
 */
export function pushSuccessfulPayment(
  state: FakeState, bot: BotState, charge: StarCharge, user: FakeUser | User, overrides?: PaymentMessageOverrides,
): number {
  const updateId = pushFromUser(state, bot, user, charge.date, { successful_payment: successfulPayment(charge, overrides) });
  charge.deliveries += 1;
  charge.held = false;
  return updateId;
}

/** Pushes the refunded_payment message of a charge. */
export function pushRefunded(state: FakeState, bot: BotState, charge: StarCharge, user: FakeUser | User): number {
  const refunded: RefundedPayment = {
    currency: charge.currency,
    total_amount: charge.amount,
    invoice_payload: charge.payload,
    telegram_payment_charge_id: charge.chargeId,
  };
  return pushFromUser(state, bot, user, unixTime(state), { refunded_payment: refunded });
}
