/**
 * setWebhook, deleteWebhook and getWebhookInfo. The fake never delivers to a
 * webhook (tests POST to the app themselves); it records it, and while one is
 * set getUpdates answers 409.
 */
import { badRequest } from './api-error.js';
import type { BotState } from './bot-state.js';
import { terminatePoll } from './long-poll.js';
import { DescribedResult, type MethodContext, type MethodTable } from './method-registry.js';
import { boolParam, intParam, stringParam } from './params.js';
import { readSubscription } from './update-types.js';

const WEBHOOK_PORTS = new Set([80, 88, 443, 8443]);
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

function removeWebhook(bot: BotState, dropPending: boolean): DescribedResult {
  const had = bot.webhook !== undefined;
  bot.webhook = undefined;
  if (dropPending) bot.updates.clear();
  return new DescribedResult(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }
  if (parsed.protocol !== 'https:') throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  if (!WEBHOOK_PORTS.has(port)) throw badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
}

function setWebhook({ bot, params }: MethodContext): DescribedResult {
  // An empty (or missing) url removes the webhook, as the Bot API documents.
  const url = stringParam(params, 'url') ?? '';
  if (url === '') return removeWebhook(bot, boolParam(params, 'drop_pending_updates'));
  checkUrl(url);
  const secretToken = stringParam(params, 'secret_token');
  if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = intParam(params, 'max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100) throw badRequest('max_connections must be between 1 and 100');
  const change = readSubscription(params['allowed_updates']);
  if (change.kind === 'set') bot.subscription = change.subscription;
  if (boolParam(params, 'drop_pending_updates')) bot.updates.clear();

  const same = bot.webhook?.url === url;
  terminatePoll(bot, 'terminated by setWebhook request');
  bot.webhook = { url, secretToken: secretToken || undefined, allowedUpdates: bot.subscription, maxConnections };
  return new DescribedResult(true, same ? 'Webhook is already set' : 'Webhook was set');
}

function deleteWebhook({ bot, params }: MethodContext): DescribedResult {
  return removeWebhook(bot, boolParam(params, 'drop_pending_updates'));
}

function getWebhookInfo({ bot }: MethodContext): Record<string, unknown> {
  const info: Record<string, unknown> = {
    url: bot.webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: bot.updates.size(),
  };
  if (bot.webhook) {
    info['max_connections'] = bot.webhook.maxConnections;
    info['ip_address'] = '127.0.0.1';
  }
  if (bot.subscription) info['allowed_updates'] = [...bot.subscription];
  return info;
}

/** The webhook methods. */
export const WEBHOOK_METHODS: MethodTable = { setWebhook, deleteWebhook, getWebhookInfo };
