/**
 * Typed reads of request parameters. JSON bodies carry numbers, booleans and
 * objects; form bodies carry strings with objects JSON-encoded: both are
 * accepted, as Telegram does.
 */
import { badRequest } from './api-error.js';
import type { Params } from './read-params.js';

/** True when the parameter is present and not empty. */
export function hasParam(params: Params, name: string): boolean {
  const value = params[name];
  return value !== undefined && value !== null && value !== '';
}

/** An integer parameter, or undefined when absent. */
export function intParam(params: Params, name: string): number | undefined {
  if (!hasParam(params, name)) return undefined;
  const value = params[name];
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw badRequest(`invalid ${name} specified`);
  return number;
}

/** A string parameter (numbers are turned into strings), or undefined when absent. */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`field "${name}" must be of type String`);
}

/** A boolean parameter: true, "true", "1", 1 and "yes" are true. */
export function boolParam(params: Params, name: string): boolean {
  const value = params[name];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return typeof value === 'string' && ['true', '1', 'yes'].includes(value.trim().toLowerCase());
}

/** An object or array parameter, given as JSON or as a JSON-encoded string. */
export function jsonParam(params: Params, name: string): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

/** chat_id: a number (also as a string) or an "@username"; undefined when absent. */
export function chatIdParam(params: Params, name = 'chat_id'): number | string | undefined {
  if (!hasParam(params, name)) return undefined;
  const value = params[name];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
    if (trimmed.startsWith('@') && trimmed.length > 1) return trimmed;
  }
  throw badRequest('chat not found');
}

/** A required chat_id; Telegram's wording when it is missing. */
export function requireChatId(params: Params, name = 'chat_id'): number | string {
  const chatId = chatIdParam(params, name);
  if (chatId === undefined) throw badRequest(`${name} is empty`);
  return chatId;
}

/** A required user_id: a positive integer, "invalid user_id specified" otherwise (as the Bot API server words it). */
export function requireUserId(params: Params, name = 'user_id'): number {
  let id: number | undefined;
  try {
    id = intParam(params, name);
  } catch {
    id = undefined;
  }
  if (id === undefined || id <= 0) throw badRequest(`invalid ${name} specified`);
  return id;
}

/**
 * A lenient integer clamped to [min, max], as the Bot API server's
 * get_integer_arg reads offset, limit, member_limit…: a missing or malformed
 * value takes the fallback instead of failing.
 */
export function clampedIntParam(params: Params, name: string, fallback: number, min: number, max: number): number {
  const raw = params[name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Math.min(max, Math.max(min, Number.isSafeInteger(value) ? value : fallback));
}
