/** The fake's HTTP surface: tokens, unknown methods, parameter encodings, close(). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callBotApi } from './client.js';
import { startFake } from './fixture.js';

test('getMe answers the bot as a User with is_bot and the getMe-only fields', async (t) => {
  const { call, botId } = await startFake(t);
  const { status, body } = await call('getMe');
  assert.equal(status, 200);
  assert.ok(body.ok);
  const me = body.result as Record<string, unknown>;
  assert.equal(me['id'], botId);
  assert.equal(me['is_bot'], true);
  assert.equal(me['username'], `fixture_${botId}_bot`);
  assert.equal(me['first_name'], 'Fixture');
  assert.equal(me['can_join_groups'], true);
  assert.equal(me['supports_inline_queries'], false);
});

test('an unknown token and a revoked one answer 401 Unauthorized, and are recorded', async (t) => {
  const { fake, token, call } = await startFake(t);
  const unknown = await callBotApi(fake.apiRoot, '1:unknown', 'getMe');
  assert.equal(unknown.status, 401);
  assert.deepEqual(unknown.body, { ok: false, error_code: 401, description: 'Unauthorized' });

  fake.revokeToken(token);
  const revoked = await call('getMe');
  assert.equal(revoked.status, 401);
  assert.deepEqual(fake.calls({ method: 'getMe' }).map((c) => c.status), [401, 401]);
});

test('an unknown method answers 404; method names match without case', async (t) => {
  const { call } = await startFake(t);
  const missing = await call('sendTelepathy');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  assert.equal((await call('getme')).status, 200);
});

test('parameters arrive as JSON, as a urlencoded form with JSON-encoded objects, or in the query string', async (t) => {
  const { fake, token } = await startFake(t);
  const form = await fetch(`${fake.apiRoot}/bot${token}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ chat_id: '42', text: 'hi', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'a', callback_data: 'b' }]] }) }),
  });
  assert.equal(form.status, 200);
  const sent = ((await form.json()) as { result: { chat: { id: number }; reply_markup: unknown } }).result;
  assert.equal(sent.chat.id, 42);
  assert.deepEqual(sent.reply_markup, { inline_keyboard: [[{ text: 'a', callback_data: 'b' }]] });

  const query = await fetch(`${fake.apiRoot}/bot${token}/sendMessage?chat_id=43&text=${encodeURIComponent('from the query')}`);
  assert.equal(query.status, 200);
  assert.deepEqual(fake.sentMessages(43).map((m) => ('text' in m ? m.text : '')), ['from the query']);
});

test('multipart bodies (file uploads) give their text fields as strings and files as a summary', async (t) => {
  const { fake, token } = await startFake(t);
  const form = new FormData();
  form.set('chat_id', '44');
  form.set('text', 'sent as multipart, ünïcode');
  form.set('document', new Blob([Buffer.from('file body')], { type: 'text/plain' }), 'notes.txt');
  const res = await fetch(`${fake.apiRoot}/bot${token}/sendMessage`, { method: 'POST', body: form });
  assert.equal(res.status, 200);
  const [call] = fake.calls({ method: 'sendMessage' });
  assert.equal(call?.params['text'], 'sent as multipart, ünïcode');
  assert.deepEqual(call?.params['document'], { file: true, filename: 'notes.txt', contentType: 'text/plain', size: 9 });
});

test('a broken JSON body answers 400', async (t) => {
  const { fake, token } = await startFake(t);
  const res = await fetch(`${fake.apiRoot}/bot${token}/getMe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { ok: boolean }).ok, false);
});

test('close() ends a pending long poll at once and refuses new connections', async (t) => {
  const { fake, call, token } = await startFake(t);
  const poll = call('getUpdates', { timeout: 30 }).then(
    () => 'answered',
    () => 'connection closed',
  );
  await fake.waitForCall({ method: 'getUpdates' }, 1000);
  assert.equal(fake.activePolls(token), 1);
  const started = Date.now();
  await fake.close();
  assert.equal(await poll, 'connection closed');
  assert.ok(Date.now() - started < 500, `closed in ${Date.now() - started} ms`);
  await assert.rejects(call('getMe'));
  await fake.close(); // a second close is harmless
});

test('waitForCall sees earlier calls by default, only later ones with since, and names the calls seen on timeout', async (t) => {
  const { fake, token, call } = await startFake(t);
  await call('getMe');
  const earlier = await fake.waitForCall({ method: 'getMe', token }, 100);
  assert.equal(earlier.status, 200);

  const later = fake.waitForCall({ method: 'getMe' }, 1000, { since: fake.calls().length });
  await call('getWebhookInfo');
  await call('getMe');
  assert.equal((await later).at >= earlier.at, true);
  assert.equal(fake.calls().indexOf(await later), 2);

  const error = await fake.waitForCall((c) => c.method === 'sendMessage', 50).catch((e: Error) => e);
  assert.ok(error instanceof Error);
  assert.match(error.message, /within 50 ms; calls seen: getMe 200, getWebhookInfo 200, getMe 200$/);

  const byToken = await fake.waitForCall({ method: 'sendMessage', token }, 50).catch((e: Error) => e);
  assert.match(String(byToken), new RegExp(`bot ${token.split(':')[0]}`));
  assert.ok(!String(byToken).includes(token.split(':')[1]!), 'the secret part of the token is not in the message');
});
