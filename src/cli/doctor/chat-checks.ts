/**
 * The bot's rights in every protected chat (every chat of an active plan, and
 * PAYWALL_CHAT_ID): it must be an administrator that may invite users and ban
 * them. What Telegram says is written to the chats table, as the runtime does
 * at start, so that the dashboard's warnings and the pre-checkout see it.
 */
import { createChatRepo, createPlanStore, type Db } from '../../db/index.js';
import { GatewayError, type BotChatRights, type TelegramGateway } from '../../paywall/index.js';
import { ok, problem, warning, type CheckResult } from './check.js';

const ADMIN = new Set(['administrator', 'creator']);
const FIX_RIGHTS = 'In Telegram, make the bot an administrator of that chat with the "Invite users" (invite users via link) and "Ban users" rights, then run paywall doctor again.';

/** The chats paywall sells access to: those of every active plan, and PAYWALL_CHAT_ID. */
export async function protectedChatIds(db: Db, defaultChatId: number | undefined): Promise<number[]> {
  const ids = new Set<number>();
  for (const plan of await createPlanStore(db.knex).list({ activeOnly: true })) for (const id of plan.chatIds) ids.add(id);
  if (defaultChatId !== undefined) ids.add(defaultChatId);
  return [...ids].sort((a, b) => a - b);
}

function chatName(chatId: number, title: string | null): string {
  return title ? `"${title}" (${chatId})` : `chat ${chatId}`;
}

/** Judges the rights getChatMember reported in one chat. */
export function judgeRights(chatId: number, rights: BotChatRights): CheckResult {
  const name = chatName(chatId, rights.title);
  if (!ADMIN.has(rights.status)) {
    return problem('chat-rights', `The bot is not an administrator of ${name} (its status there is "${rights.status}"): it cannot invite paying users or remove expired ones, and purchases for this chat are declined.`, FIX_RIGHTS);
  }
  const missing = [...(rights.canInviteUsers ? [] : ['"Invite users"']), ...(rights.canRestrictMembers ? [] : ['"Ban users"'])];
  if (missing.length > 0) {
    const what = missing.length === 1 ? `the ${missing[0]} right` : `the ${missing.join(' and ')} rights`;
    return problem('chat-rights', `The bot is an administrator of ${name} but lacks ${what}: purchases for this chat are declined until it has it.`, FIX_RIGHTS);
  }
  return ok('chat-rights', `The bot is an administrator of ${name} with "Invite users" and "Ban users".`);
}

/** Options of checkChatRights. */
export interface ChatRightsOptions {
  db: Db;
  gateway: Pick<TelegramGateway, 'botRights'>;
  defaultChatId: number | undefined;
  /** Record what Telegram said in the chats table (false when the database is another bot's). */
  record: boolean;
  now: () => Date;
}

/** Asks Telegram for the bot's rights in each protected chat; one result per chat. */
export async function checkChatRights(options: ChatRightsOptions): Promise<CheckResult[]> {
  const chatIds = await protectedChatIds(options.db, options.defaultChatId);
  if (chatIds.length === 0) {
    return [warning('chat-rights', 'No active plan names a chat and PAYWALL_CHAT_ID is unset: there is nothing to sell.', 'Set PAYWALL_CHAT_ID, or add a plan: paywall plans add --title "Monthly" --price 100 --duration 30d --chat -1001234567890')];
  }
  const chats = createChatRepo(options.db.knex);
  const results: CheckResult[] = [];
  for (const chatId of chatIds) {
    try {
      const rights = await options.gateway.botRights(chatId);
      if (options.record) {
        await chats.upsert({ chatId, title: rights.title, botStatus: rights.status, canInviteUsers: rights.canInviteUsers, canRestrictMembers: rights.canRestrictMembers, checkedAt: options.now() });
      }
      results.push(judgeRights(chatId, rights));
    } catch (err) {
      const transient = !(err instanceof GatewayError) || err.kind === 'transient';
      // Telegram's clear "no" (chat not found, bot kicked) is recorded; a network failure says nothing about the chat.
      if (options.record && !transient) {
        await chats.upsert({ chatId, title: null, botStatus: 'unknown', canInviteUsers: false, canRestrictMembers: false, checkedAt: options.now() });
      }
      const why = err instanceof Error ? err.message : String(err);
      results.push(problem('chat-rights', `Could not check the bot's rights in chat ${chatId}: ${why}.`,
        transient ? 'Check this host\'s network access to Telegram and run paywall doctor again.' : `Check the chat id (a plan's --chat, or PAYWALL_CHAT_ID), and add the bot to that chat as an administrator with "Invite users" and "Ban users".`));
    }
  }
  return results;
}
