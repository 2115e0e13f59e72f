/** Sending a text to a user or to the admins, respecting the blocked mark. */
import { GatewayError, type Button } from '../telegram-port.js';
import type { JobDeps, TextParams } from './job-deps.js';

/** The renew button: buys the plan again through the bot's `buy:<planId>` callback. */
export function renewButton(deps: JobDeps, languageCode: string | null, planId: number | null | undefined): Button[][] {
  if (planId === null || planId === undefined) return [];
  return [[{ text: deps.texts.render(languageCode, 'status.renew_button'), callbackData: `buy:${planId}` }]];
}

/** Sends a text to a user unless they blocked the bot; a 403 marks them blocked. Returns whether it was sent. */
export async function notifyUser(
  deps: JobDeps,
  userId: number,
  key: string,
  params: TextParams = {},
  extraButtons: (languageCode: string | null) => Button[][] = () => [],
  beforeSend?: () => Promise<void>,
): Promise<boolean> {
  const user = await deps.store.users.get(userId);
  if (user?.blocked) return false;
  const lang = user?.languageCode ?? null;
  try {
    await deps.gateway.sendMessage(userId, deps.texts.render(lang, key, params), { buttons: extraButtons(lang), priority: 'bulk', beforeSend });
    return true;
  } catch (err) {
    if (err instanceof GatewayError && err.kind === 'blocked') {
      await deps.store.users.setBlocked(userId, true, deps.clock.now());
      return false;
    }
    throw err;
  }
}

/** Sends a text to every admin (ADMIN_USER_IDS); a blocked admin is skipped. */
export async function notifyAdmins(deps: JobDeps, key: string, params: TextParams = {}): Promise<number> {
  let sent = 0;
  for (const adminId of deps.adminUserIds) if (await notifyUser(deps, adminId, key, params)) sent += 1;
  return sent;
}
