/** setWebhook, getWebhookInfo, deleteWebhook, and their effect on getUpdates. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANN, startFake } from './fixture.js';

const URL_A = 'https://paywall.example.com/telegram/webhook';

test('while a webhook is set getUpdates answers 409; deleteWebhook clears it', async (t) => {
  const { fake, token, call } = await startFake(t);
  const set = await call('setWebhook', { url: URL_A, secret_token: 'Secret_123-abc', allowed_updates: ['message', 'pre_checkout_query'] });
  assert.equal(set.status, 200);
  assert.deepEqual(set.body, { ok: true, result: true, description: 'Webhook was set' });
  assert.deepEqual(fake.webhook(token), { url: URL_A, secretToken: 'Secret_123-abc', allowedUpdates: ['message', 'pre_checkout_query'] });

  fake.userSends(token, { user: ANN, text: 'queued' });
  const info = (await call('getWebhookInfo')).body as { result: Record<string, unknown> };
  assert.equal(info.result['url'], URL_A);
  assert.equal(info.result['has_custom_certificate'], false);
  assert.equal(info.result['pending_update_count'], 1);

  const polled = await call('getUpdates', { timeout: 5 });
  assert.equal(polled.status, 409);
  assert.deepEqual(polled.body, {
    ok: false,
    error_code: 409,
    description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  });

  const deleted = await call('deleteWebhook', { drop_pending_updates: true });
  assert.deepEqual(deleted.body, { ok: true, result: true, description: 'Webhook was deleted' });
  assert.equal(fake.webhook(token), undefined);
  const after = (await call('getWebhookInfo')).body as { result: Record<string, unknown> };
  assert.equal(after.result['url'], '');
  assert.equal(after.result['pending_update_count'], 0, 'drop_pending_updates dropped the queued update');
  assert.equal((await call('getUpdates')).status, 200);
});

test('setWebhook refuses a URL that is not https, a port Telegram does not call, and a bad secret', async (t) => {
  const { fake, token, call } = await startFake(t);
  const http = await call('setWebhook', { url: 'http://paywall.example.com/hook' });
  assert.equal(http.status, 400);
  assert.deepEqual(http.body, { ok: false, error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' });
  const port = await call('setWebhook', { url: 'https://paywall.example.com:3000/hook' });
  assert.equal(port.status, 400);
  assert.match(String((port.body as { description: string }).description), /ports 80, 88, 443 or 8443/);
  const secret = await call('setWebhook', { url: URL_A, secret_token: 'has spaces!' });
  assert.equal(secret.status, 400);
  assert.equal(fake.webhook(token), undefined);
});

test('setWebhook ends a waiting long poll with 409', async (t) => {
  const { fake, call } = await startFake(t);
  const poll = call('getUpdates', { timeout: 10 });
  await fake.waitForCall({ method: 'getUpdates' }, 1000);
  await call('setWebhook', { url: URL_A });
  const { status, body } = await poll;
  assert.equal(status, 409);
  assert.equal((body as { description: string }).description, 'Conflict: terminated by setWebhook request');
});
