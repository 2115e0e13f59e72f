/** The plan choices of a grant form: the default chat (when PAYWALL_CHAT_ID is set) and every plan. */
import type { Plan } from '../../paywall/index.js';

/** `[value, label]` pairs: '' for no plan (the default chat), then each plan by id. */
export function planChoices(plans: readonly Plan[], hasDefaultChat: boolean): Array<readonly [string, string]> {
  const none: Array<readonly [string, string]> = hasDefaultChat ? [['', 'No plan: the default chat']] : [];
  return [...none, ...plans.map((p) => [String(p.id), `${p.title} (#${p.id}, ${p.duration})${p.active ? '' : ', disabled'}`] as const)];
}
