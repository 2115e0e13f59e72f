/** Test bot tokens: shaped like real ones, random, never real. */
import { randomBytes, randomInt } from 'node:crypto';

/** A fresh token for a fake bot, with its numeric id. */
export function makeToken(): { token: string; botId: number } {
  const botId = randomInt(100_000_000, 2_000_000_000);
  const secret = randomBytes(27).toString('base64url').slice(0, 35);
  return { token: `${botId}:${secret}`, botId };
}
