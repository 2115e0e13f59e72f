/**
 * loadConfig: flags > environment > `.env` in the working directory > defaults,
 * validated once into one frozen Config that is passed explicitly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { UsageError } from '../cli/errors.js';
import { FIELDS, type ConfigFlags, type FieldKey, type FieldSpec } from './fields.js';

/** Where the database lives. */
export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly filename: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The whole validated configuration. Secrets are left out of its JSON and inspect forms. */
export interface Config {
  readonly token: string | undefined;
  /** The numeric bot id: the part of the token before the colon. */
  readonly botId: number | undefined;
  /** First 16 hex digits of sha256(token): names the lock and the lease. */
  readonly tokenHash: string | undefined;
  readonly apiRoot: string;
  readonly database: DatabaseConfig;
  readonly port: number;
  readonly host: string;
  readonly dashboardPassword: string | undefined;
  readonly trustProxy: boolean;
  readonly adminUserIds: readonly number[];
  readonly defaultChatId: number | undefined;
  readonly lockDir: string;
  readonly sweepIntervalMs: number;
  readonly graceMs: number;
  readonly conflictGiveupMs: number;
  readonly reconcileIntervalMs: number;
  readonly shutdownGraceMs: number;
  readonly webhookUrl: string | undefined;
  readonly logLevel: string;
  readonly logFormat: 'pretty' | 'json';
  readonly cwd: string;
  /** Every secret string, for the log redactor. */
  readonly secrets: readonly string[];
}

/** What loadConfig reads. Nothing here touches process.* itself. */
export interface ConfigSources {
  env: Record<string, string | undefined>;
  flags?: ConfigFlags;
  cwd: string;
  /** Whether stderr is a terminal: picks the default log format. */
  stderrIsTTY?: boolean;
}

interface RawValue {
  text: string;
  source: string;
}

/** Reads `.env` in the working directory; a missing file is fine. */
function readDotenv(cwd: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(join(cwd, '.env')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`Could not read ${join(cwd, '.env')}: ${(err as Error).message}`, 'Fix the file permissions or remove the file.');
  }
}

function rawValue(spec: FieldSpec, sources: ConfigSources, dotenv: Record<string, string>): RawValue | undefined {
  const flagValue = spec.flag ? sources.flags?.[spec.flag] : undefined;
  if (flagValue !== undefined) {
    return { text: flagValue === true ? 'true' : String(flagValue), source: spec.flagName ?? spec.env };
  }
  const envValue = sources.env[spec.env];
  if (envValue !== undefined && envValue !== '') return { text: envValue, source: spec.env };
  const fileValue = dotenv[spec.env];
  if (fileValue !== undefined && fileValue !== '') return { text: fileValue, source: `${spec.env} (in .env)` };
  if (spec.defaultValue !== undefined) return { text: spec.defaultValue, source: `${spec.env} (default)` };
  return undefined;
}

function validate(key: FieldKey, sources: ConfigSources, dotenv: Record<string, string>): unknown {
  const spec: FieldSpec = FIELDS[key];
  const raw = rawValue(spec, sources, dotenv);
  if (!raw) return undefined;
  const result = spec.schema.safeParse(raw.text);
  if (result.success) return result.data;
  const why = result.error.issues[0]?.message ?? 'is invalid';
  const shown = spec.secret ? '' : ` (got ${JSON.stringify(raw.text.length > 80 ? `${raw.text.slice(0, 80)}…` : raw.text)})`;
  const fix = spec.flagName && raw.source.startsWith('--') ? `${spec.flagName} ${spec.example}` : `${spec.env}=${spec.example}`;
  throw new UsageError(`${raw.source} ${why.startsWith('is ') || why.startsWith('must') ? why : `is invalid: ${why}`}${shown}.`, `Set it like this: ${fix}`);
}

/** Turns DATABASE_URL into a DatabaseConfig; any scheme but sqlite/postgres is an error. */
export function parseDatabaseUrl(text: string, cwd: string, source = 'DATABASE_URL'): DatabaseConfig {
  const trimmed = text.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    try {
      new URL(trimmed);
    } catch {
      throw new UsageError(`${source} is not a valid PostgreSQL URL.`, 'Set it like this: DATABASE_URL=postgres://user:pass@host:5432/paywall');
    }
    return Object.freeze({ kind: 'postgres', url: trimmed });
  }
  let path: string;
  if (scheme === 'sqlite') path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  else if (scheme === undefined || /^[A-Za-z]:[\\/]/.test(trimmed)) path = trimmed;
  else {
    throw new UsageError(
      `${source} has an unsupported scheme "${scheme}:": paywall stores data in SQLite or PostgreSQL.`,
      'Set it like this: DATABASE_URL=sqlite:./data/paywall.db or DATABASE_URL=postgres://user:pass@host:5432/paywall',
    );
  }
  if (path === '') throw new UsageError(`${source} names no SQLite file.`, 'Set it like this: DATABASE_URL=sqlite:./data/paywall.db');
  return Object.freeze({ kind: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) });
}

function databaseSecrets(db: DatabaseConfig): string[] {
  if (db.kind !== 'postgres') return [];
  try {
    const password = decodeURIComponent(new URL(db.url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

/** Validates every setting and returns the frozen Config; throws UsageError (exit 2) on the first bad one. */
export function loadConfig(sources: ConfigSources): Config {
  const dotenv = readDotenv(sources.cwd);
  const v = <K extends FieldKey>(key: K) => validate(key, sources, dotenv);
  const token = v('token') as string | undefined;
  const dbRaw = rawValue(FIELDS.databaseUrl, sources, dotenv);
  const database = parseDatabaseUrl(v('databaseUrl') as string, sources.cwd, dbRaw?.source);
  const dashboardPassword = v('dashboardPassword') as string | undefined;
  const lockDir = (v('lockDir') as string | undefined) ?? join(tmpdir(), 'paywall-locks');
  const config: Config = {
    token,
    botId: token ? Number(token.split(':')[0]) : undefined,
    tokenHash: token ? createHash('sha256').update(token).digest('hex').slice(0, 16) : undefined,
    apiRoot: v('apiRoot') as string,
    database,
    port: v('port') as number,
    host: v('host') as string,
    dashboardPassword,
    trustProxy: v('trustProxy') as boolean,
    adminUserIds: v('adminUserIds') as readonly number[],
    defaultChatId: v('defaultChatId') as number | undefined,
    lockDir: isAbsolute(lockDir) ? lockDir : resolve(sources.cwd, lockDir),
    sweepIntervalMs: v('sweepIntervalMs') as number,
    graceMs: v('graceMs') as number,
    conflictGiveupMs: v('conflictGiveupMs') as number,
    reconcileIntervalMs: v('reconcileIntervalMs') as number,
    shutdownGraceMs: v('shutdownGraceMs') as number,
    webhookUrl: v('webhookUrl') as string | undefined,
    logLevel: v('logLevel') as string,
    logFormat: (v('logFormat') as 'pretty' | 'json' | undefined) ?? (sources.stderrIsTTY ? 'pretty' : 'json'),
    cwd: sources.cwd,
    secrets: Object.freeze([token, dashboardPassword, ...databaseSecrets(database)].filter((s): s is string => !!s)),
  };
  return freezeConfig(config);
}

/** Freezes a Config and hides its secrets from JSON.stringify and util.inspect. */
function freezeConfig(config: Config): Config {
  const safe = () => ({
    ...config,
    token: config.token ? '[redacted]' : undefined,
    dashboardPassword: config.dashboardPassword ? '[redacted]' : undefined,
    database: config.database.kind === 'postgres' ? { kind: 'postgres', url: redactUrl(config.database.url) } : config.database,
    secrets: `[${config.secrets.length} redacted]`,
  });
  Object.defineProperty(config, 'toJSON', { value: safe, enumerable: false });
  Object.defineProperty(config, inspect.custom, { value: () => safe(), enumerable: false });
  Object.defineProperty(config, 'secrets', { value: config.secrets, enumerable: false });
  return Object.freeze(config);
}

/** A URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
