/** The English texts the bot sends until the operator edits them (Telegram HTML; plain labels have no tags). */
import type { TextKey } from './keys.js';

/** English defaults, one per text key. */
export const EN_DEFAULTS: Readonly<Record<TextKey, string>> = Object.freeze({
  'start.greeting': '👋 <b>Welcome!</b>\nHere you can buy access to our private channels and groups with Telegram Stars ⭐.\n\nChoose a plan:',
  'start.no_plans': 'There are no plans on sale right now. Please check back later.',
  'plans.header': '<b>Plans</b>\nTap a plan below to buy it with Telegram Stars ⭐.',
  'plans.item': '• <b>{title}</b> — {price} ⭐ · {duration}',
  'plans.buy_button': '{title} · {price} ⭐',
  'plans.subscribe_intro': '<b>{title}</b> is a subscription: {price} ⭐ every 30 days, renewed automatically until you cancel it.\nTap the button below to subscribe.',
  'plans.unavailable': 'Sorry, this plan is not available any more. See /plans for what is on sale.',
  'invoice.title': '{title}',
  'invoice.description': '{title}: access to our private chats ({duration}).',
  'checkout.declined.unknown_order': 'This invoice is not valid for your account. You have not been charged. Please open /plans and buy again.',
  'checkout.declined.not_pending': 'This invoice was already paid or has expired. You have not been charged. Open /plans to buy again.',
  'checkout.declined.plan_unavailable': 'This plan is no longer on sale. You have not been charged. See /plans for what is on sale.',
  'checkout.declined.mismatch': 'The price of this invoice does not match the order. You have not been charged. Please open /plans and try again.',
  'checkout.declined.cannot_manage_chat': 'The seller’s chat is not ready to accept members yet. You have not been charged; please try again later.',
  'payment.confirmed':
    '✅ <b>Payment received, thank you!</b>\n<b>{title}</b> is active. Expires: {expiry}.\n\n' +
    'Tap the buttons below to request to join; you will be let in automatically. Each link works once, for you only.',
  'payment.invite_intro':
    '🔗 Here are fresh invite links for <b>{title}</b>. Tap a button below to request to join; you will be let in automatically. Each link works once.',
  'access.join_approved': '✅ Welcome to <b>{chat}</b>! Your request to join was approved.',
  'access.join_declined': 'Your request to join <b>{chat}</b> was declined: no active subscription covers it. See /plans to get access.',
  'status.header': '<b>Your subscriptions</b>',
  'status.none': 'You have no subscription yet. See /plans to get one.',
  'status.active_item': '✅ <b>{title}</b>: active. Expires: {expiry}.',
  'status.expired_item': '⌛ <b>{title}</b>: ended ({expiry}).',
  'status.granted_access': 'Access granted by an admin',
  'status.renew_button': '🔄 Renew {title}',
  'status.fresh_link_button': '🔗 New invite link: {title}',
  help:
    '<b>How this bot works</b>\n' +
    '1. Choose a plan in /plans and pay with Telegram Stars ⭐.\n' +
    '2. You get an invite link for each private chat of the plan: tap it to request to join, and you are let in automatically.\n' +
    '3. /status shows your subscriptions and when they end, and gets you new invite links.\n\n' +
    'Before your access ends you get a reminder, and you can renew at any time.\n\n' +
    '/terms: terms of service\n/paysupport: help with a payment',
  terms:
    '<b>Terms of service</b>\n' +
    '<i>(The seller should replace this text with their own terms.)</i>\n\n' +
    '1. A purchase gives you access to the private chats of its plan for the period shown, or for as long as the chats exist for a lifetime plan.\n' +
    '2. Payments are made in Telegram Stars, through Telegram.\n' +
    '3. Access is personal: invite links work once and must not be shared.\n' +
    '4. Refunds are at the seller’s discretion; a refund takes back the time that payment bought.\n' +
    '5. Members who break a chat’s rules may be removed without a refund.\n' +
    '6. For questions and problems with a payment, use /paysupport.',
  paysupport:
    '<b>Help with a payment</b>\n' +
    'Paid but no access? Send /status first: it shows your subscriptions and gets you new invite links.\n\n' +
    'For anything else, contact the seller and give the date and the plan of your payment: ' +
    '<i>(the seller should put a contact here, such as @username or an e-mail address)</i>.\n\n' +
    'Telegram support cannot help with purchases made in this bot.',
  'reminder.expiring': '⏰ Your subscription <b>{title}</b> ends on {expiry}.\nRenew now to keep your access: the new period starts when the current one ends.',
  'expired.notice': '⌛ Your access has ended and you were removed from the private chats.\nYou can renew at any time to get back in.',
  'refund.done':
    '↩️ You were refunded {amount} ⭐.\nThe time this payment bought was taken off your subscription; if no time is left, your access has ended. /status shows what remains.',
  'grant.notice': '🎁 An admin gave you access. Expires: {expiry}.\nTap the buttons below to request to join; you will be let in automatically.',
  'revoke.notice': 'An admin revoked your access and you were removed from the private chats. If you think this is a mistake, see /paysupport.',
  'admin.sale': '💰 <b>Sale</b>: {amount} ⭐ for <b>{plan}</b> from user <code>{user}</code> ({source}).',
  'admin.refund': '↩️ <b>Refund</b>: {amount} ⭐ to user <code>{user}</code> (via {via}).',
  'admin.reconciled':
    '🔁 <b>Reconciled with Telegram</b>: {recorded} missed payment(s) recorded, {refunded} refund(s) applied, {skipped} transaction(s) that need a look (see the logs).',
  'admin.job_failed': '⚠️ <b>A job failed</b> and will not be retried: #{job} ({type}).\n<code>{error}</code>',
  'admin.runtime_stalled':
    '⚠️ <b>The bot is not receiving updates.</b>\nThe runtime on {host} is running, but no update has arrived. Last update received: {since}.\nCheck the dashboard and the logs.',
  'admin.runtime_conflict':
    '⚠️ <b>Another program is polling this bot’s token</b> (409 Conflict) since {since}, so the runtime on {host} gets few or no updates.\n' +
    'Likely an old deployment still running, or a copy on another host: stop it. If it goes on, this runtime stops (PAYWALL_CONFLICT_GIVEUP).',
  'admin.runtime_recovered': '✅ <b>The bot receives updates again</b> on {host} (stalled since {since}).',
  'admin.stats':
    '<b>Stats</b>\nUsers: {users}\nActive subscribers: {activeSubscribers}\n' +
    'Revenue: {revenueStars} ⭐ (today {revenueToday} ⭐, last 30 days {revenue30d} ⭐)\nPayments: {payments}, refunds: {refunds}',
  'admin.usage':
    '<b>Admin commands</b>\n' +
    '<code>/grant &lt;user_id&gt; &lt;duration&gt;</code>: give access, e.g. <code>/grant 123456789 30d</code> ' +
    '(durations: <code>12h</code>, <code>30d</code>, <code>lifetime</code>)\n' +
    '<code>/revoke &lt;user_id&gt;</code>: end all of a user’s access now\n' +
    '<code>/stats</code>: sales and subscribers',
  'admin.granted': '✅ User <code>{user}</code> has access. Expires: {expiry}.',
  'admin.revoked': '✅ Access of user <code>{user}</code> revoked: {count} subscription(s) ended.',
  'admin.error': '⚠️ {error}',
  'error.generic': 'Sorry, something went wrong. Please try again in a moment.',
  'commands.start': 'Welcome and plans',
  'commands.plans': 'Plans and prices',
  'commands.status': 'Your subscriptions and invite links',
  'commands.help': 'How this bot works',
  'commands.terms': 'Terms of service',
  'commands.paysupport': 'Help with a payment',
});
