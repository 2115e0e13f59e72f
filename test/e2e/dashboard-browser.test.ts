/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core),
 * against the real `paywall bot` and `paywall dashboard` processes and the
 * fake Telegram server: log in, read the overview, find a user, grant 7 days,
 * create a plan, broadcast and watch it reach 100%, export payments as CSV,
 * log out. Every page is photographed at desktop and phone widths into
 * test-output/screenshots, and no page may break its Content-Security-Policy
 * or run a script smuggled in through a user's name.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { testDatabases } from '../helpers/databases.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitUntil } from '../helpers/processes.js';
import { startStack, TEST_PASSWORD, type Stack } from '../helpers/stack.js';

const CHAT = -1001234500042;
const DAY_MS = 86_400_000;
const EVIL = '<script>alert(1)</script>';
const PAGES = ['/', '/subscribers', '/removals', '/plans', '/payments', '/broadcasts', '/settings', '/audit', '/warnings'];

interface Watch {
  problems: string[];
}

/** Fails the test on any CSP violation, page error or dialog (a script that ran). */
function watch(context: BrowserContext): Watch {
  const w: Watch = { problems: [] };
  context.on('page', (page) => observe(page, w));
  return w;
}

function observe(page: Page, w: Watch): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => w.problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('dialog', (dialog) => {
    w.problems.push(`a dialog opened on ${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

/** Buys a plan through the bot as `user`, so the dashboard has real payments and subscribers. */
async function buy(h: Harness, planId: number, user: { id: number; first_name: string; username?: string }): Promise<void> {
  const since = h.fake.calls().length;
  h.fake.userSends(h.token, { user, text: `/start plan_${planId}` });
  await h.fake.waitForCall({ method: 'sendInvoice', token: h.token, status: 200 }, 10_000, { since });
  const paid = await h.fake.pay(h.token, { user, invoice: 'last' });
  assert.equal(paid.outcome, 'paid', JSON.stringify(paid));
}

async function logIn(page: Page, port: number): Promise<void> {
  await page.goto(`http://127.0.0.1:${port}/`);
  assert.match(new URL(page.url()).pathname, /^\/login/, 'a visitor without a session lands on the login page');
  await page.getByLabel(/password/i).fill(TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: /log in|sign in/i }).click()]);
}

async function photographAll(browser: TestBrowser, stack: Stack, userId: number): Promise<void> {
  for (const viewport of ['desktop', 'phone'] as const) {
    const context = await browser.newContext(viewport);
    const w = watch(context);
    const page = await context.newPage();
    observe(page, w);
    await logIn(page, stack.port);
    for (const path of [...PAGES, `/users/${userId}`]) {
      const res = await page.goto(`http://127.0.0.1:${stack.port}${path}`);
      assert.equal(res?.status(), 200, `${path} answers 200`);
      const name = path === '/' ? 'overview' : path.slice(1).replace(/\//g, '-');
      await browser.screenshot(page, name, viewport);
      if (viewport === 'phone') {
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        assert.ok(overflow <= 1, `${path} fits a phone's width (overflows by ${overflow} px)`);
      }
    }
    await page.goto(`http://127.0.0.1:${stack.port}/login`);
    await browser.screenshot(page, 'login', viewport);
    assert.deepEqual(w.problems, [], `no CSP violation, script error or dialog at ${viewport} width`);
    await context.close();
  }
}

describe('the dashboard in a browser', { skip: browserAvailable() ? false : 'Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)' }, () => {
  test('log in, overview, find a user, grant, plan, broadcast to 100%, CSV, log out; every page at two widths', async (t) => {
    const [database] = await testDatabases();
    const h = await createHarness(t, database!);
    h.fake.addChat(h.token, { id: CHAT, type: 'supergroup', title: 'VIP Lounge' });
    const added = await h.run(['plans', 'add', '--title', 'Monthly VIP', '--price', '50', '--duration', '30d', '--chat', String(CHAT)]);
    assert.equal(added.code, 0, added.stderr);
    const planId = Number(added.stdout.trim());
    const stack = await startStack(h, { PAYWALL_CHAT_ID: String(CHAT) });

    const evil = { id: 700001, first_name: EVIL, username: 'evil_user' };
    const buyers = [evil, ...Array.from({ length: 5 }, (_, i) => ({ id: 700010 + i, first_name: `Buyer, "${i}"\nsecond line`, username: `buyer_${i}` }))];
    for (const user of buyers) await buy(h, planId, user);
    for (let i = 0; i < 20; i++) h.fake.userSends(h.token, { user: { id: 710000 + i, first_name: `Visitor ${i}` }, text: '/start' });
    await waitUntil(async () => ((await stack.api<{ payments: number; users: number }>('GET', '/api/stats')).body.payments === buyers.length), 15_000, 'every payment recorded');
    await waitUntil(async () => ((await stack.api<{ users: number }>('GET', '/api/stats')).body.users === buyers.length + 20), 15_000, 'every visitor recorded');

    const browser = await launchBrowser(t);
    const context = await browser.newContext('desktop');
    const w = watch(context);
    const page = await context.newPage();
    observe(page, w);
    const base = `http://127.0.0.1:${stack.port}`;

    await t.test('log in and read the overview', async () => {
      await logIn(page, stack.port);
      assert.equal((await page.locator('#kpi-active').innerText()).replace(/\D/g, ''), String(buyers.length));
      assert.equal((await page.locator('#kpi-revenue-all').innerText()).replace(/\D/g, ''), String(buyers.length * 50));
      const chart = page.locator('svg#revenue-chart');
      assert.equal(await chart.count(), 1, 'the revenue chart is drawn');
      assert.ok((await chart.locator('rect').count()) > 0, 'the chart has bars');
    });

    await t.test('find a user and grant 7 days', async () => {
      await page.goto(`${base}/subscribers`);
      await page.getByLabel(/search/i).fill('buyer_3');
      await Promise.all([page.waitForURL(/q=buyer_3/), page.getByLabel(/search/i).press('Enter')]);
      await Promise.all([page.waitForURL(new RegExp(`/users/${700013}$`)), page.getByRole('link', { name: /buyer_3|Buyer/ }).first().click()]);
      const before = Date.parse((await page.locator('[data-expires-at]').first().getAttribute('data-expires-at'))!);
      await page.getByLabel(/duration/i).first().fill('7d');
      await Promise.all([page.waitForURL(/\/users\/700013/), page.getByRole('button', { name: /^grant/i }).first().click()]);
      const expiries = await page.locator('[data-expires-at]').evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute('data-expires-at')!)));
      assert.ok(expiries.some((at) => Math.abs(at - (before + 7 * DAY_MS)) < 60_000 || Math.abs(at - (Date.now() + 7 * DAY_MS)) < 60_000), `a new expiry 7 days on: ${expiries.map((e) => new Date(e).toISOString())}`);
    });

    await t.test('create a plan', async () => {
      await page.goto(`${base}/plans`);
      await page.getByLabel(/title/i).fill('Browser Week');
      await page.getByLabel(/price/i).fill('15');
      await page.getByLabel(/duration/i).fill('7d');
      await page.getByLabel(/chat/i).fill(String(CHAT));
      await Promise.all([page.waitForURL(/\/plans/), page.getByRole('button', { name: /create plan/i }).click()]);
      assert.ok((await page.getByRole('cell', { name: 'Browser Week' }).count()) >= 1, 'the new plan is listed');
      const plans = await stack.api<{ items: { title: string; price: number }[] }>('GET', '/api/plans');
      assert.ok(plans.body.items.some((p) => p.title === 'Browser Week' && p.price === 15));
    });

    await t.test('broadcast and watch the progress reach 100%', async () => {
      await page.goto(`${base}/broadcasts`);
      await page.getByLabel(/message|text/i).fill('<b>Hello</b> from the browser test');
      await page.getByLabel(/audience/i).selectOption('all');
      await Promise.all([page.waitForURL(/\/broadcasts\/\d+/), page.getByRole('button', { name: /send broadcast/i }).click()]);
      await page.locator('#broadcast-percent').filter({ hasText: '100%' }).waitFor({ timeout: 30_000 });
      const id = Number(/\/broadcasts\/(\d+)/.exec(page.url())![1]);
      const { body } = await stack.api<{ status: string; total: number; sent: number }>('GET', `/api/broadcasts/${id}`);
      assert.equal(body.total, buyers.length + 20);
      assert.equal(body.sent, body.total);
      const delivered = h.fake.calls({ method: 'sendMessage', token: h.token }).filter((c) => String(c.params.text).includes('from the browser test'));
      assert.equal(delivered.length, body.total, 'each recipient got the message once');
    });

    await t.test('export payments as CSV', async () => {
      await page.goto(`${base}/payments`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /export csv/i }).click()]);
      const rows = parse(await readFile((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
      assert.equal(rows.length, buyers.length);
      assert.deepEqual(new Set(rows.map((r) => r.firstName)), new Set(buyers.map((b) => b.first_name)), 'names with commas, quotes and newlines round-trip');
    });

    await t.test('the script in a first name is shown, never run', async () => {
      for (const path of ['/subscribers', `/users/${evil.id}`, '/payments', '/removals']) {
        await page.goto(`${base}${path}`);
        const text = await page.locator('main').innerText();
        if (path !== '/payments' && path !== '/removals') assert.ok(text.includes(EVIL), `${path} shows the name as text`);
        assert.ok(!(await page.content()).includes(EVIL), `${path} never emits the name as markup`);
      }
    });

    await t.test('log out, and the pages are closed', async () => {
      await page.goto(`${base}/`);
      await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: /log out/i }).click()]);
      for (const path of PAGES) {
        const res = await page.goto(`${base}${path}`);
        assert.match(new URL(page.url()).pathname, /^\/login/, `${path} sends a logged-out visitor to the login page`);
        assert.equal(res?.status(), 200);
      }
      assert.equal((await page.request.get(`${base}/api/stats`)).status(), 401, 'the API is closed too');
    });

    await context.close();
    await photographAll(browser, stack, evil.id);
    assert.deepEqual(w.problems, [], 'no CSP violation, script error or dialog');
    h.assertNoTokenLeak();
  });
});
