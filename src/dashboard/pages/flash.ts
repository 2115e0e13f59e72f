/**
 * The messages a page shows after a successful form: the redirect names one
 * by key (`?done=granted`) and the page prints the fixed text, so no text
 * from a URL ever reaches the page.
 */
import type { Flash } from '../views/layout.js';

/** Every flash message, by key. */
export const FLASH_MESSAGES = Object.freeze({
  granted: 'Access granted.',
  extended: 'Subscription extended.',
  revoked: 'Access revoked.',
  'refund-queued': 'Refund queued: the bot runtime refunds the Stars and takes the time back.',
  'plan-created': 'Plan created.',
  'plan-saved': 'Plan saved.',
  'plan-disabled': 'Plan disabled: it is no longer sold; its subscribers keep their time.',
  'plan-enabled': 'Plan enabled: it is on sale again.',
  'text-saved': 'Text saved. A running bot uses it from its next start.',
  'text-reset': 'Text reset to its default. A running bot uses it from its next start.',
  'broadcast-started': 'Broadcast queued.',
} as const);

/** A key of FLASH_MESSAGES. */
export type FlashKey = keyof typeof FLASH_MESSAGES;

/** The flash a `?done=` value names, or undefined for anything else. */
export function flashOf(done: unknown): Flash | undefined {
  if (typeof done !== 'string' || !Object.hasOwn(FLASH_MESSAGES, done)) return undefined;
  return { kind: 'notice', text: FLASH_MESSAGES[done as FlashKey] };
}
