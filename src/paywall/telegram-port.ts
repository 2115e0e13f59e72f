/**
 * The Telegram gateway port: every side effect the domain asks of Telegram.
 * `src/bot/` implements it over grammY (with throttling and retries); the
 * domain never sees grammY. Failures are thrown as GatewayError.
 */

/** A button under a message: a URL or a callback. */
export type Button = { text: string; url: string } | { text: string; callbackData: string };

/** How urgent a send is: replies to a user's own update skip the bulk limit. */
export type SendPriority = 'reply' | 'bulk';

/** A failed Telegram call, classified for the job runner. */
export class GatewayError extends Error {
  /** blocked: the user blocked the bot (403); permanent: retrying will not help; transient: retry later. */
  readonly kind: 'blocked' | 'permanent' | 'transient';
  readonly retryAfterMs: number | undefined;
  constructor(kind: GatewayError['kind'], message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'GatewayError';
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The bot's rights in a chat, as getChatMember reports them. */
export interface BotChatRights {
  status: string;
  title: string | null;
  canInviteUsers: boolean;
  canRestrictMembers: boolean;
}

/** Invoice parameters for Telegram Stars (currency XTR, one price, no provider token). */
export interface StarsInvoice {
  title: string;
  description: string;
  payload: string;
  amount: number;
}

/**
 * One entry of the bot's Stars ledger (getStarTransactions). An incoming
 * payment from a user has `direction: 'in'` and `id` equal to its
 * telegram_payment_charge_id; its refund is an outgoing entry to the same
 * user under the same id, with `isRefund` set. Other entries (withdrawals,
 * paid media, gifts…) carry no user or payload.
 */
export interface StarTransactionEntry {
  readonly id: string;
  /** Whole Stars. */
  readonly amount: number;
  readonly date: Date;
  readonly direction: 'in' | 'out';
  /** The paying user (or, for a refund, the refunded one); null for other partners. */
  readonly userId: number | null;
  /** The invoice payload of a user's invoice payment or its refund; null otherwise. */
  readonly invoicePayload: string | null;
  /** Seconds between renewals of a Stars subscription payment; null for a one-off payment. */
  readonly subscriptionPeriodSeconds: number | null;
  /** An outgoing invoice payment back to the user: the refund of the payment with this id. */
  readonly isRefund: boolean;
}

/** Telegram, as the domain needs it. */
export interface TelegramGateway {
  /**
   * `beforeSend` runs once the sending limits let the message go, right before each request
   * (a retry included); when it rejects, nothing is sent. After it, a crash may have delivered the message.
   */
  sendMessage(chatId: number, html: string, options?: { buttons?: Button[][]; priority?: SendPriority; beforeSend?: () => Promise<void> }): Promise<void>;
  sendInvoice(chatId: number, invoice: StarsInvoice): Promise<void>;
  /** A link for a 30-day Stars subscription (`subscription_period: 2592000`). */
  createSubscriptionLink(invoice: StarsInvoice): Promise<string>;
  createInviteLink(chatId: number, name: string): Promise<string>;
  revokeInviteLink(chatId: number, inviteLink: string): Promise<void>;
  approveJoinRequest(chatId: number, userId: number): Promise<void>;
  declineJoinRequest(chatId: number, userId: number): Promise<void>;
  /** Removes a member without banning them for good: ban, then unban only if banned. */
  removeMember(chatId: number, userId: number): Promise<void>;
  refundStarPayment(userId: number, chargeId: string): Promise<void>;
  cancelStarSubscription(userId: number, chargeId: string): Promise<void>;
  botRights(chatId: number): Promise<BotChatRights>;
  /** The bot's Star transactions, oldest first, from position `offset`, at most `limit` (1–100). */
  starTransactions(offset: number, limit: number): Promise<StarTransactionEntry[]>;
}
