/**
 * `paywall plans list|add|edit|disable|enable`: plain async functions over the
 * plan operations of the domain; each opens and closes the database itself.
 */
import type { Config } from '../../config/config.js';
import { createPlanStore, openDb, type Db } from '../../db/index.js';
import type { Logger } from '../../log/logger.js';
import { addPlan, editPlan, isPaywallError, setPlanActive, type Plan, type PlanDraft, type PaywallError } from '../../paywall/index.js';
import { EXIT, UsageError } from '../errors.js';

/** Where a command writes its result. */
export interface CommandIo {
  stdout: (text: string) => void;
}

/** Flags of `plans list`. */
export interface PlansListOptions {
  json?: boolean;
}

/** Flags of `plans add` and `plans edit`, as commander hands them over (strings). */
export interface PlanFlags {
  title?: string;
  price?: string;
  duration?: string;
  description?: string;
  chat?: string[];
  recurring?: boolean;
}

const HINTS: Record<string, string> = {
  title: 'For example: --title "Monthly access"',
  description: 'Shorten it to 1024 characters or fewer.',
  price: 'For example: --price 250',
  duration: 'For example: --duration 30d, --duration 12h or --duration lifetime',
  recurring: 'Use --duration 30d with --recurring, or leave --recurring out.',
  chatIds: 'Pass --chat -1001234567890 (repeat it for several chats), or set PAYWALL_CHAT_ID to a default chat.',
};

function toUsageError(err: PaywallError): UsageError {
  if (err.code === 'PLAN_NOT_FOUND') return new UsageError(err.message, 'Run `paywall plans list` to see the plan ids.');
  return new UsageError(err.message, HINTS[err.data.field ?? ''] ?? undefined);
}

async function withPlans<T>(config: Config, logger: Logger, run: (plans: ReturnType<typeof createPlanStore>, db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(config, logger);
  try {
    return await run(createPlanStore(db.knex), db);
  } catch (err) {
    throw isPaywallError(err) ? toUsageError(err) : err;
  } finally {
    await db.close();
  }
}

/** Parses a plan id argument: a positive whole number. */
export function parsePlanId(text: string): number {
  const trimmed = String(text).trim();
  const id = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`The plan id must be a positive whole number (got ${JSON.stringify(text)}).`, 'Run `paywall plans list` to see the plan ids.');
  }
  return id;
}

function parsePrice(text: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new UsageError(`--price must be a whole number of Telegram Stars (got ${JSON.stringify(text)}).`, HINTS.price);
  return Number(trimmed);
}

function parseChat(text: string): number {
  const trimmed = text.trim();
  const id = /^-?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(id) || id === 0) {
    throw new UsageError(`--chat must be a numeric chat id (got ${JSON.stringify(text)}).`, 'For example: --chat -1001234567890 (forward a message from the chat to @userinfobot to learn its id).');
  }
  return id;
}

/** Turns flags into a draft: only the given flags, numbers parsed. */
function draftFromFlags(flags: PlanFlags): PlanDraft {
  const draft: PlanDraft = {};
  if (flags.title !== undefined) draft.title = flags.title;
  if (flags.description !== undefined) draft.description = flags.description;
  if (flags.price !== undefined) draft.price = parsePrice(flags.price);
  if (flags.duration !== undefined) draft.duration = flags.duration;
  if (flags.chat !== undefined && flags.chat.length > 0) draft.chatIds = flags.chat.map(parseChat);
  if (flags.recurring !== undefined) draft.recurring = flags.recurring;
  return draft;
}

function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** Formats plans as an aligned text table, one plan per line. */
export function formatPlansTable(plans: readonly Plan[]): string {
  const header = ['ID', 'TITLE', 'PRICE', 'DURATION', 'RECURRING', 'ACTIVE', 'CHATS'];
  const rows = plans.map((p) => [String(p.id), truncate(p.title, 40), `${p.price} ★`, p.duration, p.recurring ? 'yes' : 'no', p.active ? 'yes' : 'no', p.chatIds.join(',')]);
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `plans list [--json]`: a table, or `{"items":[plan…]}`. */
export async function plansList(config: Config, logger: Logger, options: PlansListOptions, io: CommandIo): Promise<number> {
  const plans = await withPlans(config, logger, (store) => store.list());
  if (options.json) io.stdout(`${JSON.stringify({ items: plans })}\n`);
  else if (plans.length === 0) io.stdout('No plans yet. Add one: paywall plans add --title T --price STARS --duration 30d\n');
  else io.stdout(formatPlansTable(plans));
  return EXIT.OK;
}

/** `plans add`: validates, stores, prints the new id alone. */
export async function plansAdd(config: Config, logger: Logger, options: PlanFlags, io: CommandIo): Promise<number> {
  const draft = draftFromFlags(options);
  const plan = await withPlans(config, logger, (store) => addPlan(store, draft, { defaultChatId: config.defaultChatId }));
  logger.info({ planId: plan.id }, `Added plan ${plan.id} "${plan.title}" (${plan.price} Stars, ${plan.duration})`);
  io.stdout(`${plan.id}\n`);
  return EXIT.OK;
}

/** `plans edit ID`: changes the given fields; `--chat` replaces the chat list. */
export async function plansEdit(config: Config, logger: Logger, id: string, options: PlanFlags, _io?: CommandIo): Promise<number> {
  const planId = parsePlanId(id);
  const draft = draftFromFlags(options);
  const plan = await withPlans(config, logger, (store) => editPlan(store, planId, draft));
  logger.info({ planId: plan.id }, `Updated plan ${plan.id}`);
  return EXIT.OK;
}

/** `plans disable ID`: stops selling the plan; its subscribers keep their time. */
export async function plansDisable(config: Config, logger: Logger, id: string, _io?: CommandIo): Promise<number> {
  const planId = parsePlanId(id);
  await withPlans(config, logger, (store) => setPlanActive(store, planId, false));
  logger.info({ planId }, `Disabled plan ${planId}`);
  return EXIT.OK;
}

/** `plans enable ID`: sells the plan again. */
export async function plansEnable(config: Config, logger: Logger, id: string, _io?: CommandIo): Promise<number> {
  const planId = parsePlanId(id);
  await withPlans(config, logger, (store) => setPlanActive(store, planId, true));
  logger.info({ planId }, `Enabled plan ${planId}`);
  return EXIT.OK;
}
