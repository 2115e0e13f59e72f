/**
 * Every text the bot sends: what it is for (shown on the operator's settings
 * page), the placeholders it takes and how each is written, and whether it is
 * a message (Telegram HTML) or a plain label (buttons, invoices, menus).
 */

/**
 * How a placeholder's value is written: `text` as given; `number` grouped the
 * language's way; `date` a UTC date (null: "never"); `expiry` a date or, for
 * null, lifetime access; `duration` seconds in words (null: lifetime).
 */
export type PlaceholderKind = 'text' | 'number' | 'date' | 'expiry' | 'duration';

/** `html`: sent with parse_mode HTML. `plain`: a label that takes no markup; rendered to plain text. */
export type TextFormat = 'html' | 'plain';

/** The definition of one text key. */
export interface TextKeySpec {
  readonly description: string;
  readonly placeholders: Readonly<Record<string, PlaceholderKind>>;
  readonly format: TextFormat;
  /** Telegram's limit for this field, in characters; the rendered text is cut to it. */
  readonly maxLength?: number;
}

function spec(format: TextFormat, description: string, placeholders: Record<string, PlaceholderKind>, maxLength?: number): TextKeySpec {
  const base = { description, placeholders: Object.freeze({ ...placeholders }), format };
  return Object.freeze(maxLength === undefined ? base : { ...base, maxLength });
}
const html = (description: string, placeholders: Record<string, PlaceholderKind> = {}) => spec('html', description, placeholders);
const plain = (description: string, placeholders: Record<string, PlaceholderKind> = {}, maxLength?: number) => spec('plain', description, placeholders, maxLength);

/** Telegram's limits for a Stars invoice. */
export const INVOICE_LIMITS = Object.freeze({ title: 32, description: 255 });

/** Telegram's limit for a command's description in the menu. */
export const COMMAND_DESCRIPTION_MAX = 256;

const PLAN = { title: 'text' } as const;
const PLAN_EXPIRY = { title: 'text', expiry: 'expiry' } as const;

/** The text keys, in the order the settings page lists them. */
export const TEXT_KEYS = Object.freeze({
  'start.greeting': html('/start: the greeting; the plan list and its buy buttons follow.', { name: 'text' }),
  'start.no_plans': html('/start or /plans when no plan is on sale.'),
  'plans.header': html('/plans: the heading above the plan list.'),
  'plans.item': html('One line per plan in the list.', { title: 'text', price: 'number', duration: 'duration', description: 'text' }),
  'plans.buy_button': plain('Buy button under the plan list (and the subscribe button of a recurring plan).', { title: 'text', price: 'number' }),
  'plans.subscribe_intro': html('A recurring plan: sent with its subscribe button.', { title: 'text', price: 'number' }),
  'plans.unavailable': html('A deep link or button for a plan that is unknown or no longer on sale.'),
  'invoice.title': plain('The invoice title (Telegram: at most 32 characters).', PLAN, INVOICE_LIMITS.title),
  'invoice.description': plain('The invoice description when the plan has none (Telegram: at most 255 characters).', { title: 'text', duration: 'duration' }, INVOICE_LIMITS.description),
  'checkout.declined.unknown_order': plain('Payment declined: the invoice is not one of this user’s orders.'),
  'checkout.declined.not_pending': plain('Payment declined: the order was already paid or has expired.'),
  'checkout.declined.plan_unavailable': plain('Payment declined: the plan is no longer on sale.'),
  'checkout.declined.mismatch': plain('Payment declined: the amount or currency does not match the order.'),
  'checkout.declined.cannot_manage_chat': plain('Payment declined: the bot cannot manage a chat of the plan yet; nothing was charged.'),
  'payment.confirmed': html('After a payment: the confirmation; one join button per chat follows.', PLAN_EXPIRY),
  'payment.invite_intro': html('Fresh invite links asked for from /status; one button per chat follows.', PLAN_EXPIRY),
  'access.join_approved': html('Sent when a join request is approved.', { chat: 'text' }),
  'access.join_declined': html('Sent when a join request is declined (no subscription covers the chat).', { chat: 'text' }),
  'status.header': html('/status: the heading above the subscriptions.'),
  'status.none': html('/status with no subscription.'),
  'status.active_item': html('/status: an active subscription.', PLAN_EXPIRY),
  'status.expired_item': html('/status: an ended subscription.', PLAN_EXPIRY),
  'status.granted_access': plain('/status: the name shown for access an admin granted without a plan.'),
  'status.renew_button': plain('Renew button (in /status, reminders and expiry notices).', PLAN),
  'status.fresh_link_button': plain('/status: button asking for a fresh invite link.', PLAN),
  help: html('/help, and the reply to any message the bot does not understand.'),
  terms: html('/terms: your terms of service. Edit this to your own terms.'),
  paysupport: html('/paysupport: how to get help with a payment (Telegram requires it for Stars).'),
  'reminder.expiring': html('The reminder before a subscription ends; a renew button follows.', PLAN_EXPIRY),
  'expired.notice': html('After access ended and the user was removed; a renew button follows.', PLAN_EXPIRY),
  'refund.done': html('To the user after a refund.', { amount: 'number' }),
  'grant.notice': html('To the user when an admin grants access; one join button per chat follows.', PLAN_EXPIRY),
  'revoke.notice': html('To the user when an admin revokes access.', PLAN),
  'admin.sale': html('To admins: a sale.', { user: 'text', plan: 'text', amount: 'number', source: 'text' }),
  'admin.refund': html('To admins: a refund.', { user: 'text', amount: 'number', via: 'text' }),
  'admin.reconciled': html('To admins: reconciliation with Telegram’s Stars transactions found payments or refunds the bot had missed.', { recorded: 'number', refunded: 'number', skipped: 'number' }),
  'admin.job_failed': html('To admins: a background job gave up.', { job: 'text', type: 'text', error: 'text' }),
  'admin.runtime_stalled': html('To admins: the bot runtime is alive but receives no updates.', { host: 'text', since: 'date' }),
  'admin.runtime_conflict': html('To admins: a 409 conflict (another program polling the token) has lasted over a minute.', { host: 'text', since: 'date' }),
  'admin.runtime_recovered': html('To admins: the bot runtime receives updates again after a stall or a conflict.', { host: 'text', since: 'date' }),
  'admin.stats': html('/stats (admins).', {
    users: 'number', activeSubscribers: 'number', revenueStars: 'number', revenueToday: 'number', revenue30d: 'number', payments: 'number', refunds: 'number',
  }),
  'admin.usage': html('Admins: how to use /grant and /revoke (after a malformed command).'),
  'admin.granted': html('Admins: /grant succeeded.', { user: 'text', expiry: 'expiry' }),
  'admin.revoked': html('Admins: /revoke succeeded.', { user: 'text', count: 'number' }),
  'admin.error': html('Admins: /grant or /revoke was refused.', { error: 'text' }),
  'error.generic': html('The apology when something went wrong.'),
  'commands.start': plain('Command menu: /start.', {}, COMMAND_DESCRIPTION_MAX),
  'commands.plans': plain('Command menu: /plans.', {}, COMMAND_DESCRIPTION_MAX),
  'commands.status': plain('Command menu: /status.', {}, COMMAND_DESCRIPTION_MAX),
  'commands.help': plain('Command menu: /help.', {}, COMMAND_DESCRIPTION_MAX),
  'commands.terms': plain('Command menu: /terms.', {}, COMMAND_DESCRIPTION_MAX),
  'commands.paysupport': plain('Command menu: /paysupport.', {}, COMMAND_DESCRIPTION_MAX),
});

/** A text key: `start.greeting`, `plans.item`, … */
export type TextKey = keyof typeof TEXT_KEYS;

/** True when `key` is one of the bot's text keys. */
export function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(TEXT_KEYS, key);
}
