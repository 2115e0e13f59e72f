/**
 * Plan rules (pure) and the plan operations built on them. The CLI uses these
 * now and the JSON API later, so every message names the rule it enforces and
 * every error carries the field at fault.
 */
import { PaywallError } from './errors.js';
import type { Plan, PlanFields, PlanStore } from './ports.js';

/** The bounds of SPEC's plan rules. */
export const PLAN_LIMITS = Object.freeze({ titleMax: 128, descriptionMax: 1024, priceMin: 1, priceMax: 100_000 });

/** The only duration a recurring plan may have: Telegram renews Star subscriptions every 30 days. */
export const RECURRING_DURATION = '30d';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION_RE = /^(\d+)([smhd])$/;

/** Plan input as it arrives from a flag parser or a JSON body: anything may be wrong. */
export interface PlanDraft {
  title?: unknown;
  description?: unknown;
  price?: unknown;
  duration?: unknown;
  chatIds?: unknown;
  recurring?: unknown;
  active?: unknown;
}

/** What the rules need besides the draft. */
export interface PlanRuleOptions {
  /** PAYWALL_CHAT_ID: the chat a new plan gets when it names none. */
  defaultChatId?: number;
}

/** A parsed plan duration: normalised text and seconds (null for lifetime). */
export interface PlanDuration {
  text: string;
  seconds: number | null;
}

function invalid(field: string, rule: string, message: string, value?: unknown): PaywallError {
  return new PaywallError('PLAN_INVALID', message, { field, rule, ...(value === undefined ? {} : { value }) });
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Parses `30d`, `12h`, `lifetime`; undefined when the text is not a positive duration. */
export function parsePlanDuration(text: string): PlanDuration | undefined {
  const trimmed = text.trim();
  if (trimmed === 'lifetime') return { text: 'lifetime', seconds: null };
  const match = DURATION_RE.exec(trimmed);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const seconds = amount * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (amount <= 0 || !Number.isSafeInteger(seconds)) return undefined;
  return { text: `${amount}${match[2]}`, seconds };
}

/** Seconds a plan buys, or null for a lifetime plan. */
export function planDurationSeconds(plan: Pick<Plan, 'duration'>): number | null {
  const parsed = parsePlanDuration(plan.duration);
  if (!parsed) throw invalid('duration', 'duration-format', `Plan duration ${shown(plan.duration)} is not a duration.`);
  return parsed.seconds;
}

function checkTitle(value: unknown): string {
  const title = typeof value === 'string' ? value.trim() : '';
  const length = [...title].length;
  if (length < 1 || length > PLAN_LIMITS.titleMax) {
    throw invalid('title', 'title-length', `A plan title must be 1 to ${PLAN_LIMITS.titleMax} characters (got ${typeof value === 'string' ? `${length}` : 'none'}).`);
  }
  return title;
}

function checkDescription(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalid('description', 'description-type', 'A plan description must be text.');
  const description = value.trim();
  const length = [...description].length;
  if (length > PLAN_LIMITS.descriptionMax) {
    throw invalid('description', 'description-length', `A plan description must be at most ${PLAN_LIMITS.descriptionMax} characters (got ${length}).`);
  }
  return description;
}

function checkPrice(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < PLAN_LIMITS.priceMin || value > PLAN_LIMITS.priceMax) {
    throw invalid('price', 'price-range', `A plan price must be a whole number of Stars from ${PLAN_LIMITS.priceMin} to ${PLAN_LIMITS.priceMax} (got ${shown(value)}).`, value);
  }
  return value;
}

function checkDuration(value: unknown): PlanDuration {
  const parsed = typeof value === 'string' ? parsePlanDuration(value) : undefined;
  if (!parsed) {
    throw invalid('duration', 'duration-format', `A plan duration must be a positive whole number and a unit (s, m, h or d), such as 30d, or lifetime (got ${shown(value)}).`, value);
  }
  return parsed;
}

function checkChatId(value: unknown): number {
  const id = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id === 0) {
    throw invalid('chatIds', 'chat-id-format', `A chat id must be a non-zero whole number, such as -1001234567890 (got ${shown(value)}).`, value);
  }
  return id;
}

function checkChatIds(value: unknown, defaultChatId: number | undefined): number[] {
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    throw invalid('chatIds', 'chat-ids-list', 'A plan\'s chat ids must be a list of chat ids.');
  }
  const given = (value ?? []) as unknown[];
  const ids = given.length > 0 ? given.map(checkChatId) : defaultChatId !== undefined ? [checkChatId(defaultChatId)] : [];
  if (ids.length === 0) {
    throw invalid('chatIds', 'chat-required', 'A plan needs at least one chat: give one (--chat ID on the command line, chatIds in the API), or set PAYWALL_CHAT_ID to a default chat.');
  }
  return [...new Set(ids)];
}

function checkBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalid(field, `${field}-type`, `A plan's ${field} flag must be true or false (got ${shown(value)}).`, value);
  return value;
}

/** Applies every plan rule to a draft; throws PLAN_INVALID naming the first broken one. */
export function validatePlan(draft: PlanDraft, options: PlanRuleOptions = {}): PlanFields {
  const title = checkTitle(draft.title);
  const description = checkDescription(draft.description);
  const price = checkPrice(draft.price);
  const duration = checkDuration(draft.duration);
  const recurring = checkBoolean('recurring', draft.recurring, false);
  if (recurring && duration.text !== RECURRING_DURATION) {
    throw invalid('recurring', 'recurring-needs-30d', `A recurring plan must last exactly ${RECURRING_DURATION}: Telegram renews Star subscriptions every 30 days (got ${duration.text}).`, duration.text);
  }
  const chatIds = checkChatIds(draft.chatIds, options.defaultChatId);
  const active = checkBoolean('active', draft.active, true);
  return Object.freeze({ title, description, price, duration: duration.text, durationSeconds: duration.seconds, chatIds: Object.freeze(chatIds), recurring, active });
}

/** A plan's fields merged with a patch: given fields win, `chatIds` replaces the list. */
export function mergePlanPatch(current: Plan, patch: PlanDraft): PlanDraft {
  const pick = <K extends keyof PlanDraft>(key: K, fallback: unknown) => (patch[key] === undefined ? fallback : patch[key]);
  return {
    title: pick('title', current.title),
    description: pick('description', current.description),
    price: pick('price', current.price),
    duration: pick('duration', current.duration),
    chatIds: pick('chatIds', current.chatIds),
    recurring: pick('recurring', current.recurring),
    active: pick('active', current.active),
  };
}

/** Loads a plan or throws PLAN_NOT_FOUND. */
export async function getPlan(store: PlanStore, id: number): Promise<Plan> {
  const plan = Number.isSafeInteger(id) && id > 0 ? await store.get(id) : undefined;
  if (!plan) throw new PaywallError('PLAN_NOT_FOUND', `There is no plan ${id}.`, { planId: id });
  return plan;
}

/** Validates and stores a new plan. */
export async function addPlan(store: PlanStore, draft: PlanDraft, options: PlanRuleOptions = {}): Promise<Plan> {
  return store.create(validatePlan(draft, options));
}

/** Changes some fields of a plan; the result must still satisfy every rule. */
export async function editPlan(store: PlanStore, id: number, patch: PlanDraft): Promise<Plan> {
  const current = await getPlan(store, id);
  const fields = validatePlan(mergePlanPatch(current, patch));
  const updated = await store.update(id, fields);
  if (!updated) throw new PaywallError('PLAN_NOT_FOUND', `There is no plan ${id}.`, { planId: id });
  return updated;
}

/** Enables or disables a plan (a disabled plan is not sold; its subscribers keep their time). */
export async function setPlanActive(store: PlanStore, id: number, active: boolean): Promise<Plan> {
  await getPlan(store, id);
  const updated = await store.setActive(id, active);
  if (!updated) throw new PaywallError('PLAN_NOT_FOUND', `There is no plan ${id}.`, { planId: id });
  return updated;
}
