/** The configured texts: defaults, overrides from settings, validation, rendering by format. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TextRenderer } from '../../../src/paywall/jobs/job-deps.js';
import {
  createTexts, loadTextRenderer, parseTextSettingKey, TEXT_SETTING_PREFIX, textSettingKey, validateTextOverride,
} from '../../../src/paywall/texts/index.js';

const christmas = new Date('2026-12-25T14:00:00Z');

describe('texts', () => {
  test('defaults in the chosen language, values formatted and escaped', () => {
    const texts = createTexts();
    assert.equal(texts.get('en', 'status.active_item', { title: '<Gold>', expiry: christmas }), '✅ <b>&lt;Gold&gt;</b>: active. Expires: 25 Dec 2026, 14:00 UTC.');
    assert.equal(texts.get('es', 'status.active_item', { title: 'Oro', expiry: christmas }), '✅ <b>Oro</b>: activa. Vence: 25 dic 2026, 14:00 UTC.');
    assert.equal(texts.get('en', 'status.active_item', { title: 'Forever', expiry: null }), '✅ <b>Forever</b>: active. Expires: never (lifetime access).');
    assert.equal(texts.get('es', 'plans.item', { title: 'Mes', price: 1500, duration: 2_592_000 }), '• <b>Mes</b> — 1500 ⭐ · 30 días');
    assert.equal(texts.get('en', 'plans.item', { title: 'Life', price: 12000, duration: null }), '• <b>Life</b> — 12,000 ⭐ · lifetime');
  });

  test('a user-supplied value cannot inject HTML', () => {
    const html = createTexts().get('en', 'access.join_approved', { chat: '<script>alert(1)</script>' });
    assert.equal(html, '✅ Welcome to <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>! Your request to join was approved.');
  });

  test('an ISO string where a date is expected is written as a date', () => {
    assert.match(createTexts().get('en', 'reminder.expiring', { title: 'Gold', expiry: '2026-12-25T14:00:00.000Z' }), /ends on 25 Dec 2026, 14:00 UTC/);
  });

  test('a supported placeholder without a value is empty; an unknown key shows itself', () => {
    const texts = createTexts();
    assert.equal(texts.plain('en', 'status.renew_button'), '🔄 Renew');
    assert.equal(texts.get('en', 'no.such<key>'), 'no.such&lt;key&gt;');
  });

  test('overrides win, per language', () => {
    const texts = createTexts(new Map([
      [textSettingKey('es', 'help'), '<b>Ayuda</b> personalizada'],
      ['text.en.plans.item', '{title}: {price} Stars'],
      ['bot.id', '123'],
    ]));
    assert.equal(texts.get('es', 'help'), '<b>Ayuda</b> personalizada');
    assert.match(texts.get('en', 'help'), /^<b>How this bot works<\/b>/);
    assert.equal(texts.get('en', 'plans.item', { title: 'A&B', price: 5 }), 'A&amp;B: 5 Stars');
    assert.deepEqual(texts.problems(), []);
    const help = texts.catalog().find((item) => item.key === 'help');
    assert.deepEqual(help?.overrides, { es: '<b>Ayuda</b> personalizada' });
    assert.match(help?.defaults.es ?? '', /Cómo funciona/);
  });

  test('an invalid stored override is ignored and reported', () => {
    const texts = createTexts(new Map([
      ['text.en.help', '<div>broken</div>'],
      ['text.de.help', 'Hilfe'],
      ['text.en.nope', 'x'],
      ['text.es.status.none', 'Nada para {name}'],
    ]));
    assert.match(texts.get('en', 'help'), /How this bot works/);
    assert.match(texts.get('es', 'status.none'), /Aún no tienes/);
    assert.deepEqual(texts.problems(), [
      { setting: 'text.en.help', error: 'help is not valid Telegram HTML: unsupported tag <div> at character 1' },
      { setting: 'text.de.help', error: 'unknown language "de": expected en or es' },
      { setting: 'text.en.nope', error: 'unknown text key "nope"' },
      { setting: 'text.es.status.none', error: 'unknown placeholder {name}: status.none takes no placeholders' },
    ]);
  });

  test('render: HTML for messages, plain text for labels, language from language_code', () => {
    const texts = createTexts(new Map([['text.en.plans.buy_button', '{title} for {price} &#11088;']]));
    const renderer: TextRenderer = texts;
    assert.equal(renderer.render('en-GB', 'plans.buy_button', { title: 'Tom & Jerry', price: 1000 }), 'Tom & Jerry for 1,000 ⭐');
    assert.equal(renderer.render('es-419', 'status.renew_button', { title: '<Oro>' }), '🔄 Renovar <Oro>');
    assert.equal(renderer.render('de', 'status.none'), 'You have no subscription yet. See /plans to get one.');
    assert.equal(renderer.render(null, 'status.active_item', { title: 'A&B', expiry: christmas }), '✅ <b>A&amp;B</b>: active. Expires: 25 Dec 2026, 14:00 UTC.');
    assert.equal(renderer.render('es', 'commands.paysupport'), 'Ayuda con un pago');
  });

  test('plain labels are cut to Telegram limits', () => {
    const texts = createTexts();
    const title = texts.plain('en', 'invoice.title', { title: 'An extremely long plan title, far beyond thirty-two' });
    assert.ok(title.length <= 32, title);
    assert.ok(title.endsWith('…'));
    const description = texts.plain('es', 'invoice.description', { title: 'x'.repeat(300), duration: 86_400 });
    assert.ok(description.length <= 255);
    assert.equal(texts.plain('en', 'invoice.description', { title: 'Gold', duration: 2_592_000 }), 'Gold: access to our private chats (30 days).');
  });

  test('loadTextRenderer reads the text settings once', async () => {
    const asked: (string | undefined)[] = [];
    const settings = {
      list: async (prefix?: string) => {
        asked.push(prefix);
        return new Map([['text.en.error.generic', 'Oops.']]);
      },
    };
    const texts = await loadTextRenderer(settings);
    assert.deepEqual(asked, [TEXT_SETTING_PREFIX]);
    assert.equal(texts.render('en', 'error.generic'), 'Oops.');
  });

  test('setting keys', () => {
    assert.equal(textSettingKey('es', 'help'), 'text.es.help');
    assert.deepEqual(parseTextSettingKey('text.es.checkout.declined.mismatch'), { lang: 'es', key: 'checkout.declined.mismatch' });
    assert.equal(parseTextSettingKey('bot.id'), undefined);
  });
});

describe('validateTextOverride', () => {
  test('accepts a good override', () => {
    assert.deepEqual(validateTextOverride('plans.item', 'es', '<i>{title}</i> — {price} ⭐ ({duration})'), { ok: true });
    assert.deepEqual(validateTextOverride('terms', 'en', '<b>Our terms</b>\n<a href="https://example.com/terms">Read them</a>'), { ok: true });
  });

  const refused: [string, string, string, string, string][] = [
    ['help', 'de', 'Hilfe', 'language', 'unknown language "de": expected en or es'],
    ['halp', 'en', 'Help', 'key', 'unknown text key "halp"'],
    ['help', 'en', '<b>Help', 'html', 'help is not valid Telegram HTML: unclosed tag <b> (opened at character 1)'],
    ['help', 'en', '   ', 'html', 'help is not valid Telegram HTML: text is empty'],
    ['plans.item', 'en', '{titel}: {price} {cost}', 'placeholder', 'unknown placeholder {titel}, {cost}: plans.item takes {title}, {price}, {duration}, {description}'],
    ['help', 'es', 'Hola {name}', 'placeholder', 'unknown placeholder {name}: help takes no placeholders'],
    ['plans.buy_button', 'en', '<b>{title}</b>', 'plain', 'plans.buy_button is plain text (a button, invoice or menu label): remove the tag <b>'],
    ['invoice.title', 'en', 'Premium access to our private club {title}', 'length', 'invoice.title is too long: 34 characters without its placeholders, at most 32'],
  ];
  for (const [key, lang, value, rule, error] of refused) {
    test(`refuses ${key} (${lang}) ${JSON.stringify(value)}: ${rule}`, () => {
      assert.deepEqual(validateTextOverride(key, lang, value), { ok: false, rule, error });
    });
  }
});
