/**
 * What the warnings page lists, worked out from the backend: the bot lacks
 * admin rights in a protected chat (or was never checked there), no bot
 * runtime runs the queued jobs, the runtime is not receiving updates, stored
 * text overrides were refused, jobs failed, and the composition root's own
 * warnings (such as SQLite on an ephemeral disk).
 */
import { createTexts, TEXT_SETTING_PREFIX, type Job, type ProtectedChat } from '../../paywall/index.js';
import type { ApiBotStatus } from '../api/ports.js';
import type { PageBackend } from './deps.js';

/** One warning: what is wrong and how to fix it. */
export interface DashboardWarning {
  /** Stable, for the page's ids: `runtime-down`, `chat-rights`, … */
  kind: string;
  title: string;
  detail: string;
  fix?: string;
}

/** The warnings and what the page shows beside them. */
export interface WarningsReport {
  warnings: DashboardWarning[];
  bot: ApiBotStatus;
  jobs: { counts: Record<Job['status'], number>; oldestQueuedAt: Date | null; recentFailures: Job[] };
}

const ADMIN_STATUSES = new Set(['administrator', 'creator']);

function chatName(chat: Pick<ProtectedChat, 'chatId' | 'title'>): string {
  return chat.title ? `${chat.title} (${chat.chatId})` : `chat ${chat.chatId}`;
}

/** Rights the bot lacks in a chat, as words; empty when it has them all. */
export function missingRights(chat: ProtectedChat): string[] {
  if (!chat.botStatus || !ADMIN_STATUSES.has(chat.botStatus)) return [`admin status (it is ${chat.botStatus ?? 'unknown'})`];
  return [...(chat.canInviteUsers ? [] : ['invite users']), ...(chat.canRestrictMembers ? [] : ['ban users'])];
}

function chatWarnings(chats: readonly ProtectedChat[], needed: ReadonlySet<number>): DashboardWarning[] {
  const out: DashboardWarning[] = [];
  for (const chat of chats) {
    const missing = missingRights(chat);
    if (missing.length === 0) continue;
    out.push({ kind: 'chat-rights', title: `The bot lacks rights in ${chatName(chat)}`, detail: `Missing: ${missing.join(', ')}. Without them it cannot invite paying users or remove expired ones.`, fix: 'Make the bot an administrator of the chat with "Invite users" and "Ban users", then run paywall doctor.' });
  }
  const known = new Set(chats.map((c) => c.chatId));
  for (const chatId of needed) {
    if (known.has(chatId)) continue;
    out.push({ kind: 'chat-unchecked', title: `The bot has not checked chat ${chatId}`, detail: 'A plan (or PAYWALL_CHAT_ID) names this chat, but the bot has no record of its rights there.', fix: 'Add the bot to the chat as an administrator and run paywall doctor.' });
  }
  return out;
}

function runtimeWarnings(bot: ApiBotStatus, jobs: WarningsReport['jobs']): DashboardWarning[] {
  if (!bot.running) {
    const queued = jobs.counts.queued;
    return [{ kind: 'runtime-down', title: 'No bot runtime is running', detail: `Nothing carries out queued jobs: ${queued} waiting (invites, removals, refunds, messages, broadcasts). They run when a runtime starts; payments are not received meanwhile.`, fix: 'Start paywall bot (or paywall all), or set WEBHOOK_URL so that the dashboard runs it.' }];
  }
  const out: DashboardWarning[] = [];
  if (!bot.healthy) out.push({ kind: 'runtime-stalled', title: 'The bot runtime is not receiving updates', detail: `The runtime on ${bot.host ?? 'an unknown host'} is alive but its last update was ${bot.lastPollAt ? bot.lastPollAt.toISOString() : 'never'}.`, fix: 'Run paywall doctor: it checks the token, the webhook and the network.' });
  if (bot.conflicts > 0) out.push({ kind: 'runtime-conflicts', title: `${bot.conflicts} conflict episode${bot.conflicts === 1 ? '' : 's'} (409)`, detail: 'Another program polls this bot token (an old deployment still running?).', fix: 'Stop the other consumer; paywall doctor names lock and lease holders.' });
  return out;
}

/** Collects every warning at `now`. */
export async function loadWarnings(backend: PageBackend, staticWarnings: readonly string[], now: Date): Promise<WarningsReport> {
  const [bot, jobs, chats, plans, overrides] = await Promise.all([
    backend.reads.botStatus(now),
    backend.pages.jobSummary(),
    backend.pages.chats(),
    backend.paywall.store.plans.list({ activeOnly: true }),
    backend.paywall.store.settings.list(TEXT_SETTING_PREFIX),
  ]);
  const needed = new Set<number>([...plans.flatMap((p) => p.chatIds), ...(backend.paywall.defaultChatId === undefined ? [] : [backend.paywall.defaultChatId])]);
  const texts = createTexts(overrides).problems().map((p): DashboardWarning => ({ kind: 'text-refused', title: `The stored text ${p.setting} is refused`, detail: `${p.error}. The bot sends the default instead.`, fix: 'Edit or reset it on the settings page.' }));
  const failed = jobs.counts.failed > 0
    ? [{ kind: 'jobs-failed', title: `${jobs.counts.failed} job${jobs.counts.failed === 1 ? '' : 's'} failed for good`, detail: 'They used all their attempts; the most recent are listed below with their errors.' }]
    : [];
  const warnings = [
    ...staticWarnings.map((text): DashboardWarning => ({ kind: 'static', title: text, detail: '' })),
    ...runtimeWarnings(bot, jobs),
    ...chatWarnings(chats, needed),
    ...texts,
    ...failed,
  ];
  return { warnings, bot, jobs };
}
