/**
 * Reading the pages' forms into domain input. Shape problems (a missing or
 * malformed field) are 400s that say what is wrong; the domain's own rules
 * (duration format, plan rules, Telegram HTML) say the rest.
 */
import { parsePlanDuration, PaywallError, type PlanDraft } from '../../paywall/index.js';
import { badRequest } from '../api/http-errors.js';
import { MAX_DURATION_SECONDS, MAX_PLAN_CHATS } from '../api/schemas.js';

/** The largest id a serial column holds: a larger plan id cannot exist (PostgreSQL refuses to compare with one). */
export const MAX_SERIAL_ID = 2_147_483_647;

/** A grant or extension as typed. */
export interface GrantFields {
  duration: string;
  planId: string;
}

/** A duration as a grant takes it: given, at most 32 characters, at most 100 years; the domain checks the format. */
export function grantDuration(text: string): string {
  const duration = text.trim();
  if (duration === '') throw badRequest('Give a duration, such as 30d, 12h or lifetime.');
  if (duration.length > 32) throw badRequest('A duration is at most 32 characters, such as 30d.');
  const parsed = parsePlanDuration(duration);
  if (parsed && parsed.seconds !== null && parsed.seconds > MAX_DURATION_SECONDS) throw badRequest('A duration is at most 36500d (100 years), or lifetime.');
  return duration;
}

/** The plan id of a grant form: undefined for none (the default chat); an id no plan can have is PLAN_NOT_FOUND. */
export function grantPlanId(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (!/^\d{1,16}$/.test(value)) throw badRequest(`"${value.slice(0, 40)}" is not a plan id.`);
  const id = Number(value);
  if (id < 1 || id > MAX_SERIAL_ID) throw new PaywallError('PLAN_NOT_FOUND', `There is no plan ${value}.`, { field: 'planId' });
  return id;
}

/** A grant form as domain input. */
export function grantInput(fields: GrantFields): { duration: string; planId?: number } {
  const duration = grantDuration(fields.duration);
  const planId = grantPlanId(fields.planId);
  return planId === undefined ? { duration } : { duration, planId };
}

/** A Telegram user id typed into a form. */
export function telegramUserId(text: string): number {
  const value = text.trim();
  const id = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw badRequest('A Telegram user id is a whole number, such as 123456789.');
  return id;
}

/** A plan form as typed: every field as text, `recurring` as the checkbox's state. */
export interface PlanFormFields {
  title: string;
  description: string;
  price: string;
  duration: string;
  chatIds: string;
  recurring: boolean;
}

/** The chat ids of a plan form: separated by commas, spaces or lines. */
export function chatIdList(text: string): string[] {
  return text.split(/[\s,;]+/).filter((part) => part !== '');
}

/** A plan form as a draft for the plan rules (validatePlan says what is wrong with it). */
export function planDraft(fields: PlanFormFields): PlanDraft {
  const price = fields.price.trim();
  const duration = fields.duration.trim();
  const chatIds = chatIdList(fields.chatIds);
  if (chatIds.length > MAX_PLAN_CHATS) throw badRequest(`A plan covers at most ${MAX_PLAN_CHATS} chats.`);
  const parsed = parsePlanDuration(duration);
  if (parsed && parsed.seconds !== null && parsed.seconds > MAX_DURATION_SECONDS) throw badRequest('A plan duration is at most 36500d (100 years), or lifetime.');
  return {
    title: fields.title,
    description: fields.description,
    // A number when it is one; otherwise the text, so the rule's message quotes what was typed.
    price: /^\d{1,9}$/.test(price) ? Number(price) : price,
    duration,
    chatIds,
    recurring: fields.recurring,
  };
}
