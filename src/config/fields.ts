/**
 * The configuration table of SPEC section 3: one entry per setting, with its
 * variable, its flag, its default and a good example for error messages.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** Flags that every command accepts (commander's camelCase names). */
export interface ConfigFlags {
  apiRoot?: string;
  db?: string;
  port?: string;
  host?: string;
  trustProxy?: boolean | string;
  lockDir?: string;
  grace?: string;
}

/** One row of the configuration table. */
export interface FieldSpec {
  env: string;
  flag?: keyof ConfigFlags;
  flagName?: string;
  defaultValue?: string;
  example: string;
  secret?: boolean;
  schema: z.ZodType<unknown>;
}

const TOKEN_RE = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;

const durationSchema = (opts: { allowZero: boolean }) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a duration like 30s, 5m, 2h or 1d (an integer and one of s, m, h, d)' });
      return z.NEVER;
    }
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: '`lifetime` is not allowed here: give a finite duration' });
      return z.NEVER;
    }
    if (!opts.allowZero && ms === 0) {
      ctx.addIssue({ code: 'custom', message: 'must be longer than 0s' });
      return z.NEVER;
    }
    return ms;
  });

const integerSchema = (min: number, max: number, what: string) =>
  z.string().transform((text, ctx) => {
    const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}` });
      return z.NEVER;
    }
    return value;
  });

const booleanSchema = z.string().transform((text, ctx) => {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return z.NEVER;
});

const urlSchema = (protocols: string[], what: string) =>
  z.string().transform((text, ctx) => {
    try {
      const url = new URL(text.trim());
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return text.trim().replace(/\/+$/, '');
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${what}` });
      return z.NEVER;
    }
  });

const idListSchema = z.string().transform((text, ctx) => {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const ids = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated positive Telegram user ids' });
    return z.NEVER;
  }
  return Object.freeze([...new Set(ids)]);
});

/** The table itself, keyed by the Config property each row fills. */
export const FIELDS = {
  token: {
    env: 'TELEGRAM_BOT_TOKEN',
    example: '123456789:AAE-your-token-from-BotFather',
    secret: true,
    schema: z.string().refine((t) => TOKEN_RE.test(t.trim()), {
      message: 'is malformed: expected the bot id, a colon and the secret, as @BotFather gives it',
    }).transform((t) => t.trim()),
  },
  apiRoot: {
    env: 'TELEGRAM_API_ROOT', flag: 'apiRoot', flagName: '--api-root',
    defaultValue: 'https://api.telegram.org', example: 'https://api.telegram.org',
    schema: urlSchema(['http:', 'https:'], 'an http:// or https:// URL'),
  },
  databaseUrl: {
    env: 'DATABASE_URL', flag: 'db', flagName: '--db',
    defaultValue: 'sqlite:./data/paywall.db', example: 'sqlite:./data/paywall.db or postgres://user:pass@host:5432/paywall',
    secret: false,
    schema: z.string().min(1, 'must not be empty'),
  },
  port: {
    env: 'PORT', flag: 'port', flagName: '--port', defaultValue: '5000', example: '5000',
    schema: integerSchema(0, 65535, 'a port number from 0 to 65535 (0 picks a free one)'),
  },
  host: {
    env: 'HOST', flag: 'host', flagName: '--host', defaultValue: '0.0.0.0', example: '0.0.0.0',
    schema: z.string().trim().min(1, 'must not be empty').regex(/^[A-Za-z0-9.:_\-[\]]+$/, 'expected a host name or an IP address'),
  },
  dashboardPassword: {
    env: 'DASHBOARD_PASSWORD', example: 'a long random passphrase', secret: true,
    schema: z.string().min(8, 'is too short: use at least 8 characters'),
  },
  trustProxy: {
    env: 'TRUST_PROXY', flag: 'trustProxy', flagName: '--trust-proxy', defaultValue: 'false', example: 'true',
    schema: booleanSchema,
  },
  adminUserIds: {
    env: 'ADMIN_USER_IDS', defaultValue: '', example: '11111111,22222222',
    schema: idListSchema,
  },
  defaultChatId: {
    env: 'PAYWALL_CHAT_ID', example: '-1001234567890',
    schema: integerSchema(-(2 ** 53 - 1), 2 ** 53 - 1, 'a numeric chat id, like -1001234567890').refine((n) => n !== 0, 'must not be 0'),
  },
  lockDir: {
    env: 'PAYWALL_LOCK_DIR', flag: 'lockDir', flagName: '--lock-dir', example: '/var/lib/paywall/locks',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  sweepIntervalMs: {
    env: 'PAYWALL_SWEEP_INTERVAL', defaultValue: '60s', example: '60s',
    schema: durationSchema({ allowZero: false }),
  },
  graceMs: {
    env: 'PAYWALL_GRACE', defaultValue: '0s', example: '1h',
    schema: durationSchema({ allowZero: true }),
  },
  conflictGiveupMs: {
    env: 'PAYWALL_CONFLICT_GIVEUP', defaultValue: '2m', example: '2m',
    schema: durationSchema({ allowZero: false }),
  },
  reconcileIntervalMs: {
    env: 'PAYWALL_RECONCILE_INTERVAL', defaultValue: '10m', example: '10m',
    schema: durationSchema({ allowZero: false }),
  },
  shutdownGraceMs: {
    env: 'PAYWALL_SHUTDOWN_GRACE', flag: 'grace', flagName: '--grace', defaultValue: '10s', example: '10s',
    schema: durationSchema({ allowZero: true }),
  },
  webhookUrl: {
    env: 'WEBHOOK_URL', example: 'https://paywall.example.com',
    schema: urlSchema(['https:', 'http:'], 'the public https:// base URL of the dashboard'),
  },
  logLevel: {
    env: 'LOG_LEVEL', defaultValue: 'info', example: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'expected one of fatal, error, warn, info, debug, trace, silent' }),
  },
  logFormat: {
    env: 'LOG_FORMAT', example: 'json',
    schema: z.enum(['pretty', 'json'], { message: 'expected pretty or json' }),
  },
} satisfies Record<string, FieldSpec>;

/** The Config properties the table fills. */
export type FieldKey = keyof typeof FIELDS;
