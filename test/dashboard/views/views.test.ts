/** The shared views: the frame, pagination, flash messages, times, the chart's scale and the error page. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flashOf } from '../../../src/dashboard/pages/flash.js';
import { pagination, queryString } from '../../../src/dashboard/views/components.js';
import { errorPageView } from '../../../src/dashboard/views/error-page.js';
import { displayName, formatSpan, formatUtc, utcTime } from '../../../src/dashboard/views/format.js';
import { html } from '../../../src/dashboard/views/html.js';
import { renderPage } from '../../../src/dashboard/views/layout.js';
import { barHeight, CHART, niceCeiling, revenueChart } from '../../../src/dashboard/views/revenue-chart.js';

describe('renderPage', () => {
  test('nav with the current entry and the CSRF token, flash escaped, refresh only without scripts', () => {
    const page = renderPage({ title: 'T <x>', body: html`<p>hi</p>`, nav: { active: '/plans', csrfToken: 'tok"en' }, flash: { kind: 'error', text: '<b>no</b>' }, refresh: { seconds: 5, url: '/broadcasts/3' } });
    assert.match(page, /<title>T &lt;x&gt; · paywall<\/title>/);
    assert.match(page, /<a href="\/plans" aria-current="page">Plans<\/a>/);
    assert.match(page, /name="_csrf" value="tok&quot;en"/);
    assert.match(page, /<p class="flash flash-error" role="alert">&lt;b&gt;no&lt;\/b&gt;<\/p>/);
    assert.match(page, /<noscript><meta http-equiv="refresh" content="5; url=\/broadcasts\/3"><\/noscript>/);
    assert.match(page, /<link rel="stylesheet" href="\/assets\/app.css">/);
    assert.match(page, /<script src="\/assets\/app.js" defer><\/script>/);
    const bare = renderPage({ title: 'Login', body: html`<p>x</p>` });
    assert.doesNotMatch(bare, /<nav|http-equiv/, 'no nav and no refresh unless asked');
  });
});

describe('flash messages', () => {
  test('only the fixed set; anything else shows nothing', () => {
    assert.deepEqual(flashOf('granted'), { kind: 'notice', text: 'Access granted.' });
    for (const value of ['<script>', 'toString', '__proto__', '', undefined, ['granted']]) assert.equal(flashOf(value), undefined, String(value));
  });
});

describe('pagination', () => {
  test('prev and next keep the filters, escaped; nothing when one page holds all', () => {
    const nav = pagination({ path: '/subscribers', page: 2, total: 120, filters: { q: 'a&b "c"', status: 'active' } }).value;
    assert.match(nav, /rel="prev" href="\/subscribers\?q=a%26b\+%22c%22&amp;status=active"/);
    assert.match(nav, /rel="next" href="\/subscribers\?q=a%26b\+%22c%22&amp;status=active&amp;page=3"/);
    assert.match(nav, /Page 2 of 3 · 120 in all/);
    assert.equal(pagination({ path: '/plans', page: 1, total: 50 }).value, '');
    assert.match(pagination({ path: '/plans', page: 3, total: 51 }).value, /rel="prev" href="\/plans\?page=2"/);
    assert.equal(queryString({ a: '', b: undefined, c: 0 }), '?c=0');
  });
});

describe('formatting', () => {
  test('times in UTC, saying so; names; spans', () => {
    assert.equal(formatUtc(new Date('2026-03-01T05:07:09Z')), '2026-03-01 05:07 UTC');
    assert.equal(utcTime(null, 'never').value, 'never');
    assert.equal(utcTime(new Date('2026-03-01T05:07:09Z')).value, '<time datetime="2026-03-01T05:07:09.000Z">2026-03-01 05:07 UTC</time>');
    assert.equal(displayName({ id: 5, firstName: null, lastName: null, username: null }), 'User 5');
    assert.equal(displayName({ id: 5, firstName: ' ', lastName: null, username: 'bob' }), '@bob');
    assert.deepEqual([formatSpan(0), formatSpan(3_600_000), formatSpan(7 * 86_400_000), formatSpan(90_000)], ['0 seconds', '1 hour', '7 days', '90 seconds']);
  });
});

describe('revenue chart', () => {
  test('the axis tops at a 1-2-5 step and bars are proportional', () => {
    assert.deepEqual([0, 1, 7, 10, 11, 250, 501, 2000, 2001].map(niceCeiling), [1, 1, 10, 10, 20, 500, 1000, 2000, 5000]);
    const plot = CHART.height - CHART.top - CHART.bottom;
    assert.deepEqual([barHeight(500, 1000), barHeight(-3, 10), barHeight(10, 10)], [plot / 2, 0, plot]);
    const empty = revenueChart([{ day: '2026-03-01', stars: 0, payments: 0 }]).value;
    assert.match(empty, /No revenue in the last 1 days\./);
    assert.match(empty, /height="0" data-day="2026-03-01" data-stars="0"/);
  });
});

describe('error page', () => {
  test('the message is escaped, the title follows the status', () => {
    const view = errorPageView(404, 'There is no user <b>.');
    assert.equal(view.title, 'Not found');
    assert.match(view.body.value, /There is no user &lt;b&gt;\./);
    assert.equal(errorPageView(503, 'x').title, 'Database unreachable');
  });
});
