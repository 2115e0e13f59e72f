/**
 * Invoices: sendInvoice (a Message with an `invoice`, sent like any message:
 * rate limited, 403 for a user who blocked the bot) and createInvoiceLink (a
 * https://t.me/$… link, the only one that takes subscription_period). Both
 * record the invoice so that fake.pay can pay it.
 */
import { randomBytes } from 'node:crypto';
import type { Message } from 'grammy/types';
import { readInvoice, type InvoiceFields } from './invoice-rules.js';
import type { MethodContext, MethodTable } from './method-registry.js';
import { recipientChat, saveBotMessage } from './outgoing.js';
import type { InvoiceRecord } from './payment-types.js';
import { paymentStore } from './payment-store.js';
import { readReplyMarkup } from './reply-markup.js';
import { unixTime } from './state.js';

function record(ctx: MethodContext, fields: InvoiceFields, where: Partial<InvoiceRecord>): void {
  const invoice: InvoiceRecord = {
    via: ctx.method === 'createInvoiceLink' ? 'createInvoiceLink' : 'sendInvoice',
    title: fields.title,
    description: fields.description,
    payload: fields.payload,
    currency: fields.currency,
    totalAmount: fields.totalAmount,
    prices: fields.prices.map((price) => ({ ...price })),
    startParameter: fields.startParameter,
    date: unixTime(ctx.fake),
    ...where,
  };
  if (fields.subscriptionPeriod !== undefined) invoice.subscriptionPeriod = fields.subscriptionPeriod;
  paymentStore(ctx.bot).invoices.push(invoice);
}

function sendInvoice(ctx: MethodContext): Message {
  // Parameters are checked before the chat: Telegram refuses a blocked user only when it sends.
  const fields = readInvoice(ctx.params, ctx.method);
  const { inline } = readReplyMarkup(ctx.params);
  const chat = recipientChat(ctx);
  const invoice = {
    title: fields.title,
    description: fields.description,
    start_parameter: fields.startParameter,
    currency: fields.currency,
    total_amount: fields.totalAmount,
  };
  const message = saveBotMessage(ctx, chat, { invoice, ...(inline ? { reply_markup: inline } : {}) });
  record(ctx, fields, { chatId: chat.id, messageId: message.message_id });
  return message;
}

function createInvoiceLink(ctx: MethodContext): string {
  const fields = readInvoice(ctx.params, ctx.method);
  const link = `https://t.me/$${randomBytes(15).toString('base64url')}`;
  record(ctx, fields, { link });
  return link;
}

/** sendInvoice and createInvoiceLink. */
export const INVOICE_METHODS: MethodTable = { sendInvoice, createInvoiceLink };
