/** loadConfig: precedence, validation messages, redaction. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { UsageError } from '../../src/cli/errors.js';
import { parseDuration, formatDuration } from '../../src/config/duration.js';
import { createRedactor } from '../../src/config/redact.js';
import { tempDir } from '../helpers/tmp.js';

test('defaults, then .env, then environment, then flags', (t) => {
  const cwd = tempDir(t);
  assert.equal(loadConfig({ env: {}, cwd }).port, 5000);
  writeFileSync(`${cwd}/.env`, 'PORT=6000\n');
  assert.equal(loadConfig({ env: {}, cwd }).port, 6000);
  assert.equal(loadConfig({ env: { PORT: '7000' }, cwd }).port, 7000);
  assert.equal(loadConfig({ env: { PORT: '7000' }, flags: { port: '8000' }, cwd }).port, 8000);
});

test('durations, database URLs and the frozen result', (t) => {
  const cwd = tempDir(t);
  const config = loadConfig({ env: { PAYWALL_GRACE: '2h', DATABASE_URL: 'postgresql://u:secretpw@db:5432/x' }, cwd });
  assert.equal(config.graceMs, 7_200_000);
  assert.equal(config.database.kind, 'postgres');
  assert.ok(Object.isFrozen(config));
  assert.equal(loadConfig({ env: { DATABASE_URL: 'data/x.db' }, cwd }).database.kind, 'sqlite');
  assert.ok(!JSON.stringify(config).includes('secretpw'));
  assert.ok(!inspect(config).includes('secretpw'));
});

test('errors name the variable, what is wrong, and an example', (t) => {
  const cwd = tempDir(t);
  const err = (env: Record<string, string>) => {
    try { loadConfig({ env, cwd }); } catch (e) { return e as UsageError; }
    throw new Error('expected an error');
  };
  const port = err({ PORT: '70000' });
  assert.ok(port instanceof UsageError);
  assert.match(port.message, /^PORT /);
  assert.match(port.hint ?? '', /PORT=5000/);
  assert.match(err({ PAYWALL_SWEEP_INTERVAL: 'lifetime' }).message, /lifetime/);
  assert.match(err({ ADMIN_USER_IDS: '1,x' }).message, /ADMIN_USER_IDS/);
  assert.match(err({ DATABASE_URL: 'mysql://x' }).message, /unsupported scheme "mysql:"/);
  const token = err({ TELEGRAM_BOT_TOKEN: 'abc' });
  assert.ok(!token.message.includes('abc') && !(token.hint ?? '').includes('abc'));
});

test('token, bot id and token hash', (t) => {
  const token = '123456789:AAE0123456789abcdefghijklmnopqrstuv';
  const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: token }, cwd: tempDir(t) });
  assert.equal(config.botId, 123456789);
  assert.match(config.tokenHash ?? '', /^[0-9a-f]{16}$/);
  assert.ok(!JSON.stringify(config).includes(token));
  assert.deepEqual(config.secrets, [token]);
});

test('parseDuration and formatDuration', () => {
  assert.equal(parseDuration('30d'), 2_592_000_000);
  assert.equal(parseDuration('lifetime'), null);
  assert.equal(parseDuration('5 weeks'), undefined);
  assert.equal(parseDuration('1.5h'), undefined);
  assert.equal(formatDuration(2_592_000_000), '30d');
  assert.equal(formatDuration(90_000), '90s');
});

test('the redactor removes secrets and anything shaped like a token', () => {
  const redact = createRedactor(['s3cret-pass']);
  assert.equal(redact('pw s3cret-pass here'), 'pw [redacted] here');
  assert.equal(redact('GET /bot123456789:AAE0123456789abcdefghijklmnopqrstuv/getMe'), 'GET /bot[redacted]/getMe');
  assert.equal(redact('url /bot123456789%3AAAE0123456789abcdefghijklmnopqrstuv/x'), 'url /bot[redacted]/x');
});
