/** Telegram HTML: escaping, the checker's verdicts and messages, plain-text conversion. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkTelegramHtml, escapeHtml, findHtmlProblem, htmlToPlain } from '../../../src/paywall/texts/index.js';

const GOOD = [
  'plain text',
  '<b>bold</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <ins>ins</ins> <s>s</s> <strike>st</strike> <del>del</del>',
  '<span class="tg-spoiler">secret</span> and <tg-spoiler>another</tg-spoiler>',
  '<a href="https://example.com/?a=1&amp;b=2">link <b>bold inside</b></a>',
  '<b>bold <i>italic <u>underline</u></i></b>',
  '<code>x &lt; y &amp;&amp; y &gt; z</code>',
  '<pre><code class="language-python">print("hi")</code></pre>',
  '<pre>pre block</pre>',
  '<blockquote>quote</blockquote><blockquote expandable>long quote</blockquote>',
  '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
  'numeric &#60; &#x3C; &#128512; and &quot;quoted&quot;',
  '<B>upper-case tags</B>',
  "<a href='https://example.com'>single quotes</a>",
  'x'.repeat(4096),
  '<b>{title}</b> with a placeholder',
];

const BAD: [string, string][] = [
  ['<div>block</div>', 'unsupported tag <div> at character 1'],
  ['text <br> more', 'unsupported tag <br> at character 6'],
  ['<b>bold', 'unclosed tag <b> (opened at character 1)'],
  ['<b>bold</i>', 'unexpected closing tag </i> at character 8: <b> is still open'],
  ['text</i>', 'unexpected closing tag </i> at character 5: no tag is open'],
  ['<b><i>crossed</b></i>', 'unexpected closing tag </b> at character 14: <i> is still open'],
  ['', 'text is empty'],
  [' \n <b> </b>', 'text is empty'],
  ['x'.repeat(5000), 'too long: 5000 characters, at most 4096'],
  ['<b>x</b>' + 'y'.repeat(4096), 'too long: 4097 characters, at most 4096'],
  ['a & b', 'unescaped & at character 3: write &amp;'],
  ['1 < 2', 'unescaped < at character 3: write &lt;'],
  ['2 > 1', 'unescaped > at character 3: write &gt;'],
  ['a&nbsp;b', 'unsupported entity &nbsp; at character 2: use &lt; &gt; &amp; &quot; or a numeric one'],
  ['bad &#0; entity', 'invalid entity &#0; at character 5'],
  ['<span>plain span</span>', '<span> needs class="tg-spoiler" at character 1'],
  ['<span class="red">x</span>', '<span> needs class="tg-spoiler" at character 1'],
  ['<a>no href</a>', '<a> needs a non-empty href at character 1'],
  ['<a href="https://x.y" target="_blank">x</a>', 'attribute target is not allowed on <a> at character 1'],
  ['<b class="x">x</b>', 'attribute class is not allowed on <b> at character 1'],
  ['<code class="language-js">x</code>', 'class on <code> is only allowed inside <pre> at character 1'],
  ['<pre><code class="js">x</code></pre>', '<code> class must be "language-<name>" at character 6'],
  ['<code><b>x</b></code>', '<b> is not allowed inside <code> at character 7'],
  ['<pre><a href="https://x.y">x</a></pre>', '<a> is not allowed inside <pre> at character 6'],
  ['<a href="https://a.b"><a href="https://c.d">x</a></a>', '<a> cannot be nested inside <a> at character 23'],
  ['<blockquote><blockquote>x</blockquote></blockquote>', '<blockquote> cannot be nested inside <blockquote> at character 13'],
  ['<tg-emoji emoji-id="abc">👍</tg-emoji>', '<tg-emoji> needs a numeric emoji-id at character 1'],
  ['<a href="https://x.y" href="https://z">x</a>', 'duplicate attribute href on <a> at character 1'],
  ['<b x="1>x</b>', 'malformed tag <b> at character 1'],
  ['<b>x</b >y</ b>', 'unescaped < at character 11: write &lt;'],
];

describe('escapeHtml', () => {
  test('escapes & < > " and nothing else', () => {
    assert.equal(escapeHtml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry\'s&lt;/a&gt;');
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
  });
  test('whatever it escapes passes the checker and reads back the same', () => {
    const nasty = '<script>alert(1)</script> & "quotes" <b>not bold</b> &lt;';
    assert.deepEqual(checkTelegramHtml(escapeHtml(nasty)), { ok: true });
    assert.equal(htmlToPlain(escapeHtml(nasty)), nasty);
  });
});

describe('checkTelegramHtml', () => {
  for (const html of GOOD) {
    test(`accepts ${JSON.stringify(html.slice(0, 60))}`, () => {
      assert.deepEqual(checkTelegramHtml(html), { ok: true });
    });
  }
  for (const [html, error] of BAD) {
    test(`refuses ${JSON.stringify(html.slice(0, 60))}: ${error}`, () => {
      assert.deepEqual(checkTelegramHtml(html), { ok: false, error });
      assert.equal(findHtmlProblem(html), error);
    });
  }
  test('counts entities and astral characters as Telegram does (UTF-16 units)', () => {
    assert.deepEqual(checkTelegramHtml('&amp;'.repeat(4096)), { ok: true });
    assert.deepEqual(checkTelegramHtml('😀'.repeat(2048)), { ok: true });
    assert.deepEqual(checkTelegramHtml('😀'.repeat(2049)), { ok: false, error: 'too long: 4098 characters, at most 4096' });
  });
  test('findHtmlProblem is undefined for good HTML', () => {
    assert.equal(findHtmlProblem('<b>fine</b>'), undefined);
  });
});

describe('htmlToPlain', () => {
  test('drops tags and decodes entities', () => {
    assert.equal(htmlToPlain('<b>Tom &amp; Jerry</b> &lt;3 &#128512; <a href="https://x.y">link</a>'), 'Tom & Jerry <3 😀 link');
  });
  test('falls back to stripping for broken HTML', () => {
    assert.equal(htmlToPlain('<b>open &amp; shut'), 'open & shut');
  });
});
