/** The broadcast preview re-emits only Telegram's tags from a parse and escapes everything else. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { telegramPreview } from '../../../src/dashboard/views/telegram-preview.js';

const show = (source: string) => telegramPreview(source).value;

describe('telegramPreview', () => {
  test('formatting tags are re-emitted in their canonical form, without attributes', () => {
    assert.equal(show('<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins><s>g</s><strike>h</strike><del>i</del>'), '<b>a</b><b>b</b><i>c</i><i>d</i><u>e</u><u>f</u><s>g</s><s>h</s><s>i</s>');
    assert.equal(show('<pre><code class="language-js">x &lt; 1</code></pre>'), '<pre><code>x &lt; 1</code></pre>');
    assert.equal(show('<tg-spoiler>x</tg-spoiler> <span class="tg-spoiler">y</span>'), '<span class="tg-spoiler">x</span> <span class="tg-spoiler">y</span>');
    assert.equal(show('<blockquote expandable>q</blockquote>'), '<blockquote class="expandable">q</blockquote>');
    assert.equal(show('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'), '👍');
  });

  test('links keep only http, https and tg hrefs, escaped', () => {
    assert.equal(show('<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">go</a>'), '<a href="https://x.test/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer nofollow" target="_blank">go</a>');
    assert.equal(show('<a href="tg://user?id=1">me</a>'), '<a href="tg://user?id=1" rel="noopener noreferrer nofollow" target="_blank">me</a>');
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.test', ' vbscript:x']) {
      assert.equal(show(`<a href="${href}">x</a>`), '<a class="link-blocked">x</a>', href);
    }
  });

  test('anything else is text: other tags, attributes, handlers, stray brackets and entities', () => {
    assert.equal(show('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(show('<b onclick="x()">b</b>'), '<b>b</b>', 'attributes are dropped');
    assert.equal(show('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(show('<span>plain span</span>'), '&lt;span&gt;plain span&lt;/span&gt;');
    assert.equal(show('1 < 2 & 3 > 2 "q" \'s\''), '1 &lt; 2 &amp; 3 &gt; 2 &quot;q&quot; &#39;s&#39;');
    assert.equal(show('&lt;b&gt; &#65; &#x1F600; &nbsp; &#0;'), '&lt;b&gt; A 😀 &amp;nbsp; &amp;#0;');
    assert.equal(show('<b>open <i>both</b>'), '<b>open <i>both&lt;/b&gt;</i></b>', 'a mismatched close is text; open tags are closed at the end');
    assert.equal(show('</i>stray'), '&lt;/i&gt;stray');
    assert.equal(show('line one\nline two'), 'line one\nline two');
  });
});
