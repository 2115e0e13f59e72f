/**
 * Broadcasts: the preview renders Telegram HTML safely or shows the checker's
 * error; Send broadcast queues it through the domain and lands on its page,
 * whose progress (total, sent, failed, percent, bar) app.js follows and which
 * refreshes itself without scripts while it runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../helpers/databases.js';
import { assertCspClean, textOfId } from './markup.js';
import { ACTOR, startPages } from './pages-fixture.js';
import { seedShop } from './seed.js';

for (const database of await testDatabases()) {
  describe(`broadcast pages (${database.kind})`, () => {
    test('preview: Telegram tags rendered, anything else escaped; invalid text shows the checker error', async (t) => {
      const f = await startPages(t, database);
      const ok = await f.post('/broadcasts/preview', { text: '<b>Sale</b> &amp; <a href="https://example.com/x?a=1&amp;b=2">more</a>', audience: 'all' });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /<div class="tg-preview" id="broadcast-preview"><b>Sale<\/b> &amp; <a href="https:\/\/example.com\/x\?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">more<\/a><\/div>/);
      assert.match(ok.text, /<option value="all" selected>/, 'the audience chosen is kept');
      assertCspClean(ok.text, 'preview');
      const bad = await f.post('/broadcasts/preview', { text: '<script>alert(1)</script>', audience: 'active' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="preview-error"[^>]*>Telegram would refuse this text: unsupported tag &lt;script&gt;/);
      assert.match(bad.text, /<textarea id="broadcast-text" name="text"[^>]*>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/textarea>/);
      assert.ok(!bad.text.includes('<script>alert(1)'));
      assertCspClean(bad.text, 'refused preview');
    });

    test('send: queued through the domain, 303 to its page with live progress', async (t) => {
      const f = await startPages(t, database);
      await seedShop(f);
      const sent = await f.post('/broadcasts', { text: '<b>Hello</b> everyone', audience: 'all' });
      assert.equal(sent.status, 303);
      const id = Number(/^\/broadcasts\/(\d+)\?done=broadcast-started$/.exec(sent.headers.get('location') ?? '')?.[1]);
      const broadcast = await f.store.broadcasts.get(id);
      assert.deepEqual([broadcast?.text, broadcast?.audience, broadcast?.status, broadcast?.total], ['<b>Hello</b> everyone', 'all', 'queued', 4]);
      const job = await f.store.jobs.byDedupeKey(`broadcast:${id}`);
      assert.equal(job?.status, 'queued');
      const audit = await f.db.knex('audit_log').where({ action: 'broadcast' }).first();
      assert.equal(audit?.actor, ACTOR);

      const page = await f.get(`/broadcasts/${id}?done=broadcast-started`);
      assert.equal(page.status, 200);
      assert.match(page.text, /Broadcast queued\./);
      assert.match(page.text, new RegExp(`<section class="card" id="broadcast" data-broadcast-id="${id}" data-status="queued"`));
      assert.equal(textOfId(page.text, 'broadcast-percent'), '0%');
      assert.equal(textOfId(page.text, 'broadcast-total'), '4');
      assert.match(page.text, /<progress id="broadcast-progress" max="4" value="0">/);
      assert.match(page.text, new RegExp(`<noscript><meta http-equiv="refresh" content="5; url=/broadcasts/${id}"></noscript>`), 'refreshes without scripts while queued');
      assert.match(page.text, /id="runtime-down"/, 'says the broadcast waits for a bot runtime');
      assertCspClean(page.text, 'broadcast page');

      await f.store.broadcasts.setStatus(id, 'running', f.now());
      for (const userId of await f.store.broadcasts.pendingRecipients(id, 10)) await f.store.broadcasts.markResult(id, userId, userId !== 103, userId === 103 ? 'blocked' : null, f.now());
      await f.store.broadcasts.setStatus(id, 'done', f.now());
      const done = await f.get(`/broadcasts/${id}`);
      assert.equal(textOfId(done.text, 'broadcast-percent'), '100%');
      assert.deepEqual([textOfId(done.text, 'broadcast-sent'), textOfId(done.text, 'broadcast-failed')], ['3', '1']);
      assert.doesNotMatch(done.text, /http-equiv="refresh"/, 'a finished broadcast stops refreshing');
      const list = await f.get('/broadcasts');
      assert.match(list.text, new RegExp(`<a href="/broadcasts/${id}">#${id}</a>`));
      assert.match(list.text, /<td class="num">100%<\/td>/);
    });

    test('a refused broadcast keeps the text and says why; nothing is queued', async (t) => {
      const f = await startPages(t, database);
      const bad = await f.post('/broadcasts', { text: 'Hi <i>there', audience: 'active' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /text is not valid Telegram HTML: unclosed tag &lt;i&gt;/);
      assert.match(bad.text, />Hi &lt;i&gt;there<\/textarea>/);
      const audience = await f.post('/broadcasts', { text: 'Hi', audience: 'vips' });
      assert.equal(audience.status, 400);
      assert.match(audience.text, /audience must be one of active, expired, all/);
      assert.equal((await f.post('/broadcasts', { text: 'x'.repeat(40_000), audience: 'all' })).status, 400);
      assert.deepEqual(await f.db.knex('broadcasts').select('id'), []);
    });
  });
}
