/**
 * The admin password. DASHBOARD_PASSWORD when set; otherwise one generated on
 * the first start, whose scrypt hash is kept in the settings (the password
 * itself is handed back once, for the command to print, and never stored).
 * Every comparison is constant-time.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SettingsStore } from '../../paywall/index.js';
import { BackendUnavailableError } from '../api/http-errors.js';
import { sameSecret } from '../middleware/basic-auth.js';

/** The settings key of the generated password's hash. */
export const PASSWORD_HASH_SETTING = 'dashboard.password_hash';

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches a hash from hashPassword; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const N = Number(n), R = Number(r), P = Number(p);
  if (![N, R, P].every(Number.isSafeInteger) || expected.length < 16) return false;
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P });
  return timingSafeEqual(actual, expected);
}

/** A new random password: 24 URL-safe characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Makes sure a password exists. With DASHBOARD_PASSWORD (`configured`) nothing
 * is stored. Otherwise, when no hash is stored yet, generates a password,
 * stores its hash and returns the password, exactly once even when two
 * dashboards start together; undefined in every other case.
 */
export async function ensureAdminPassword(settings: SettingsStore, configured: string | undefined): Promise<string | undefined> {
  if (configured !== undefined) return undefined;
  if (await settings.get(PASSWORD_HASH_SETTING)) return undefined;
  const password = generatePassword();
  const hash = await hashPassword(password);
  const stored = await settings.setIfAbsent(PASSWORD_HASH_SETTING, hash);
  return stored === hash ? password : undefined;
}

/** Where the password check finds the settings: undefined while the database is unreachable. */
export interface PasswordCheckOptions {
  configured: string | undefined;
  settings: () => SettingsStore | undefined;
}

/**
 * Builds the check of a candidate password (throwing BackendUnavailableError
 * while the database is unreachable and no DASHBOARD_PASSWORD is set). The stored hash is read on every
 * call (so a reset takes effect at once); the last password that matched it is
 * remembered as a SHA-256 digest, so that a script's every request does not pay
 * for scrypt again.
 */
export function createPasswordCheck(options: PasswordCheckOptions): (candidate: string) => Promise<boolean> {
  let remembered: { hash: string; digest: Buffer } | undefined;
  return async (candidate) => {
    if (options.configured !== undefined) return sameSecret(candidate, options.configured);
    const settings = options.settings();
    if (!settings) throw new BackendUnavailableError();
    const hash = await settings.get(PASSWORD_HASH_SETTING);
    if (!hash) return false;
    const digest = createHash('sha256').update(candidate, 'utf8').digest();
    if (remembered?.hash === hash && timingSafeEqual(remembered.digest, digest)) return true;
    const ok = await verifyPassword(candidate, hash);
    if (ok) remembered = { hash, digest };
    return ok;
  };
}
