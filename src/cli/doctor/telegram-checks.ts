/**
 * The doctor's Telegram checks: the token (getMe) and the webhook
 * (getWebhookInfo). Neither consumes updates: doctor never calls getUpdates.
 * Every call is bounded in time, so an unreachable Bot API cannot hang doctor.
 */
import { HttpError, type Api, type Transformer } from 'grammy';
import type { UserFromGetMe, WebhookInfo } from 'grammy/types';
import { createApiClient } from '../../bot/create-bot.js';
import { describeTelegramError, isTokenRejected } from '../../bot/runtime-errors.js';
import { ok, problem, warning, type CheckResult } from './check.js';

/** How long one Bot API call may take before doctor gives up on it. */
export const TELEGRAM_CALL_TIMEOUT_MS = 10_000;
/** A webhook delivery error younger than this is reported. */
const RECENT_ERROR_S = 3_600;

type GrammySignal = Parameters<Transformer>[3];

/** A Bot API client whose every call gives up after `timeoutMs`. */
export function createDoctorApi(token: string, apiRoot: string, timeoutMs = TELEGRAM_CALL_TIMEOUT_MS): Api {
  const api = createApiClient(token, apiRoot);
  api.config.use((prev, method, payload, signal) => prev(method, payload, signal ?? (AbortSignal.timeout(timeoutMs) as GrammySignal)));
  return api;
}

/** The token check, and the bot it names when Telegram accepted it. */
export interface TokenCheck {
  result: CheckResult;
  bot: UserFromGetMe | undefined;
}

/** getMe: a 401/404 means the token was revoked or never valid; anything else means Telegram could not be asked. */
export async function checkToken(api: Api, apiRoot: string): Promise<TokenCheck> {
  try {
    const bot = await api.getMe();
    return { result: ok('token', `Telegram accepts the token: @${bot.username} (bot id ${bot.id}).`), bot };
  } catch (err) {
    if (isTokenRejected(err)) {
      return {
        result: problem('token', `Telegram rejected the token (${describeTelegramError(err)}): it was revoked or never valid.`,
          'Copy the token again from @BotFather (/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN, then restart paywall.'),
        bot: undefined,
      };
    }
    return { result: unreachable('token', apiRoot, err), bot: undefined };
  }
}

/** True when the call gave up at its deadline (grammY wraps the abort in an HttpError). */
function timedOut(err: unknown): boolean {
  const inner = err instanceof HttpError ? err.error : err;
  return inner instanceof Error && (inner.name === 'AbortError' || inner.name === 'TimeoutError');
}

/** A Bot API that did not answer. */
export function unreachable(check: string, apiRoot: string, err: unknown): CheckResult {
  const why = timedOut(err) ? `no answer within ${TELEGRAM_CALL_TIMEOUT_MS / 1000} s` : describeTelegramError(err);
  return problem(check, `Could not reach the Telegram Bot API at ${apiRoot}: ${why}.`,
    'Check this host\'s network access to Telegram, and TELEGRAM_API_ROOT (or --api-root) if you use a local Bot API server.');
}

/** The URL's host, never its path (which may carry a secret). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || 'an unknown host';
  } catch {
    return 'an unknown host';
  }
}

/** Where the dashboard in webhook mode has Telegram deliver updates. */
export function expectedWebhookUrl(webhookUrl: string): string {
  return `${webhookUrl.replace(/\/+$/, '')}/telegram/webhook`;
}

function queueNote(info: Pick<WebhookInfo, 'pending_update_count'>): string {
  const n = info.pending_update_count;
  return `${n} update${n === 1 ? '' : 's'} waiting at Telegram`;
}

function lastError(info: WebhookInfo, nowS: number): string | undefined {
  if (!info.last_error_message || !info.last_error_date || nowS - info.last_error_date > RECENT_ERROR_S) return undefined;
  return `Telegram's last delivery failed at ${new Date(info.last_error_date * 1000).toISOString()}: ${info.last_error_message}`;
}

/**
 * Judges what getWebhookInfo said against WEBHOOK_URL: with it unset there
 * must be no webhook (a poller cannot run beside one); with it set, the
 * webhook must point at this dashboard's `/telegram/webhook`.
 */
export function judgeWebhook(info: WebhookInfo, webhookUrl: string | undefined, now: Date): CheckResult {
  const nowS = Math.floor(now.getTime() / 1000);
  const error = lastError(info, nowS);
  if (!webhookUrl) {
    if (!info.url) return ok('webhook', `No webhook is set, as long polling needs; ${queueNote(info)}.`);
    return problem('webhook',
      `A webhook is set for this bot (to ${hostOf(info.url)}) while WEBHOOK_URL is unset, so \`paywall bot\` cannot poll for updates; ${queueNote(info)}.${error ? ` ${error}.` : ''}`,
      'If the deployment at that host is gone, run `paywall bot --delete-webhook` (or `paywall all --delete-webhook`) to poll instead; if it still runs, stop it first, or set WEBHOOK_URL here to use webhook mode.');
  }
  const expected = expectedWebhookUrl(webhookUrl);
  if (!info.url) {
    return problem('webhook', `WEBHOOK_URL is set, but no webhook is registered with Telegram, so no updates arrive; ${queueNote(info)}.`,
      'Start (or restart) `paywall dashboard`: in webhook mode it registers the webhook when it starts.');
  }
  if (info.url.replace(/\/+$/, '') !== expected) {
    return problem('webhook',
      `The webhook points to ${hostOf(info.url)}, not to this deployment's ${hostOf(expected)}: another deployment receives this bot's updates; ${queueNote(info)}.`,
      'Stop the other deployment, then restart `paywall dashboard` here so that it registers its own webhook.');
  }
  if (error) {
    return warning('webhook', `The webhook points to this deployment (${hostOf(expected)}); ${queueNote(info)}. ${error}.`,
      'Check that the dashboard is reachable from the internet at WEBHOOK_URL over https, and look at its log for /telegram/webhook errors.');
  }
  return ok('webhook', `The webhook points to this deployment (${hostOf(expected)}); ${queueNote(info)}.`);
}

/** getWebhookInfo, judged. */
export async function checkWebhook(api: Api, apiRoot: string, webhookUrl: string | undefined, now: () => Date): Promise<CheckResult> {
  try {
    return judgeWebhook(await api.getWebhookInfo(), webhookUrl, now());
  } catch (err) {
    return unreachable('webhook', apiRoot, err);
  }
}
