/**
 * The Telegram gateway over grammY's Api: the domain's side effects, with
 * Telegram's errors classified for the job runner (blocked, permanent,
 * transient) and bulk sends held to the bulk rate.
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardButton, StarTransaction } from 'grammy/types';
import { GatewayError, type Button, type StarTransactionEntry, type TelegramGateway } from '../paywall/index.js';
import { BEFORE_SEND, type SendLimits } from './send-limits.js';
import { describeTelegramError } from './runtime-errors.js';

/** The reply markup for rows of buttons. */
export function inlineKeyboard(rows: Button[][] | undefined): { inline_keyboard: InlineKeyboardButton[][] } | undefined {
  if (!rows || rows.length === 0) return undefined;
  return {
    inline_keyboard: rows.map((row) => row.map((b) => ('url' in b ? { text: b.text, url: b.url } : { text: b.text, callback_data: b.callbackData }))),
  };
}

/** Classifies any error from a Bot API call. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GrammyError) {
    const message = describeTelegramError(err);
    if (err.error_code === 403) return new GatewayError('blocked', message);
    if (err.error_code === 429) return new GatewayError('transient', message, (err.parameters.retry_after ?? 1) * 1000);
    if (err.error_code >= 500) return new GatewayError('transient', message);
    return new GatewayError('permanent', message);
  }
  if (err instanceof HttpError) return new GatewayError('transient', describeTelegramError(err));
  return new GatewayError('transient', err instanceof Error ? err.message : String(err));
}

/**
 * A Star transaction as the domain reads it. A user's invoice payment comes in
 * from them (`source`); its refund goes out to them (`receiver`) under the same id.
 */
export function toStarTransactionEntry(tx: StarTransaction): StarTransactionEntry {
  const partner = tx.source ?? tx.receiver;
  const invoice = partner?.type === 'user' && partner.transaction_type === 'invoice_payment' ? partner : undefined;
  const direction = tx.source ? 'in' : 'out';
  return {
    id: tx.id,
    amount: tx.amount,
    date: new Date(tx.date * 1000),
    direction,
    userId: partner?.type === 'user' ? partner.user.id : null,
    invoicePayload: invoice?.invoice_payload ?? null,
    subscriptionPeriodSeconds: invoice?.subscription_period ?? null,
    isRefund: invoice !== undefined && direction === 'out',
  };
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toGatewayError(err);
  }
}

/** Builds the gateway. */
export function createGateway(api: Api, limits: SendLimits, botId: number): TelegramGateway {
  return {
    sendMessage: (chatId, html, options = {}) => call(async () => {
      const other = { parse_mode: 'HTML' as const, reply_markup: inlineKeyboard(options.buttons), link_preview_options: { is_disabled: true }, [BEFORE_SEND]: options.beforeSend };
      const send = () => api.sendMessage(chatId, html, other);
      await (options.priority === 'reply' ? send() : limits.bulk(send));
    }),
    sendInvoice: (chatId, invoice) => call(async () => {
      await api.sendInvoice(chatId, invoice.title, invoice.description, invoice.payload, 'XTR', [{ label: invoice.title, amount: invoice.amount }]);
    }),
    createSubscriptionLink: (invoice) => call(() =>
      api.createInvoiceLink(invoice.title, invoice.description, invoice.payload, '', 'XTR', [{ label: invoice.title, amount: invoice.amount }], { subscription_period: 2_592_000 })),
    createInviteLink: (chatId, name) => call(async () => (await api.createChatInviteLink(chatId, { name: name.slice(0, 32), creates_join_request: true })).invite_link),
    revokeInviteLink: (chatId, link) => call(async () => { await api.revokeChatInviteLink(chatId, link); }),
    approveJoinRequest: (chatId, userId) => call(async () => { await api.approveChatJoinRequest(chatId, userId); }),
    declineJoinRequest: (chatId, userId) => call(async () => { await api.declineChatJoinRequest(chatId, userId); }),
    removeMember: (chatId, userId) => call(async () => {
      await api.banChatMember(chatId, userId);
      await api.unbanChatMember(chatId, userId, { only_if_banned: true });
    }),
    refundStarPayment: (userId, chargeId) => call(async () => { await api.refundStarPayment(userId, chargeId); }),
    cancelStarSubscription: (userId, chargeId) => call(async () => { await api.editUserStarSubscription(userId, chargeId, true); }),
    botRights: (chatId) => call(async () => {
      const member = await api.getChatMember(chatId, botId);
      const rights = member as { can_invite_users?: boolean; can_restrict_members?: boolean };
      const chat = await api.getChat(chatId).catch(() => undefined);
      const isAdmin = member.status === 'administrator' || member.status === 'creator';
      return {
        status: member.status,
        title: chat && 'title' in chat ? (chat.title ?? null) : null,
        canInviteUsers: member.status === 'creator' || (isAdmin && rights.can_invite_users === true),
        canRestrictMembers: member.status === 'creator' || (isAdmin && rights.can_restrict_members === true),
      };
    }),
    starTransactions: (offset, limit) => call(async () => (await api.getStarTransactions({ offset, limit })).transactions.map(toStarTransactionEntry)),
  };
}
