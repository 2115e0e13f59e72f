/** The catalog: every key in both languages, valid HTML, consistent placeholders, Telegram's limits. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkTelegramHtml, COMMAND_DESCRIPTION_MAX, findTextEntry, fitInvoiceDescription, fitInvoiceTitle, INVOICE_LIMITS, LANGUAGES,
  placeholdersIn, TEXT_CATALOG, TEXT_KEYS, truncateText,
} from '../../../src/paywall/texts/index.js';

const REQUIRED_KEYS = [
  'start.greeting', 'start.no_plans', 'plans.header', 'plans.item', 'plans.buy_button', 'plans.unavailable', 'invoice.title', 'invoice.description',
  'checkout.declined.unknown_order', 'checkout.declined.not_pending', 'checkout.declined.plan_unavailable', 'checkout.declined.mismatch',
  'checkout.declined.cannot_manage_chat', 'payment.confirmed', 'payment.invite_intro', 'access.join_approved', 'access.join_declined', 'status.none',
  'status.active_item', 'status.expired_item', 'status.renew_button', 'status.fresh_link_button', 'help', 'terms', 'paysupport', 'reminder.expiring',
  'expired.notice', 'refund.done', 'grant.notice', 'revoke.notice', 'admin.sale', 'admin.refund', 'admin.job_failed', 'admin.runtime_stalled',
  'admin.stats', 'admin.usage', 'error.generic', 'commands.start', 'commands.plans', 'commands.status', 'commands.help', 'commands.terms',
  'commands.paysupport',
];

describe('text catalog', () => {
  test('has every key the bot needs, once, in the TEXT_KEYS order', () => {
    const keys = TEXT_CATALOG.map((entry) => entry.key);
    assert.deepEqual(keys, Object.keys(TEXT_KEYS));
    assert.equal(new Set(keys).size, keys.length);
    for (const key of REQUIRED_KEYS) assert.ok(findTextEntry(key), `missing ${key}`);
    assert.equal(findTextEntry('no.such.key'), undefined);
    assert.equal(findTextEntry('toString'), undefined);
  });

  test('both languages define every key, with the same placeholders, all declared', () => {
    for (const entry of TEXT_CATALOG) {
      assert.ok(entry.description.length > 0, `${entry.key} has no description`);
      const used = LANGUAGES.map((lang) => {
        assert.ok(entry.defaults[lang]?.trim(), `${entry.key} has no ${lang} default`);
        return placeholdersIn(entry.defaults[lang]).sort();
      });
      assert.deepEqual(used[1], used[0], `${entry.key}: en and es use different placeholders`);
      for (const name of used[0]!) assert.ok(Object.hasOwn(entry.placeholders, name), `${entry.key} uses undeclared {${name}}`);
    }
  });

  test('the two languages differ where there are words to translate', () => {
    const same = TEXT_CATALOG.filter((e) => e.defaults.en === e.defaults.es).map((e) => e.key);
    assert.deepEqual(same, ['plans.item', 'plans.buy_button', 'invoice.title', 'admin.error']);
  });

  test('every default is valid Telegram HTML; plain labels have no tags and fit their limit', () => {
    for (const entry of TEXT_CATALOG) {
      for (const lang of LANGUAGES) {
        const text = entry.defaults[lang];
        assert.deepEqual(checkTelegramHtml(text), { ok: true }, `${entry.key} (${lang})`);
        if (entry.format === 'plain') assert.doesNotMatch(text, /<[a-z/]/i, `${entry.key} (${lang}) is plain`);
        if (entry.maxLength !== undefined) assert.ok(text.length <= entry.maxLength, `${entry.key} (${lang}) is too long`);
      }
    }
  });

  test('invoice and command-menu keys carry Telegram limits', () => {
    assert.equal(findTextEntry('invoice.title')?.maxLength, 32);
    assert.equal(findTextEntry('invoice.description')?.maxLength, 255);
    assert.equal(findTextEntry('commands.paysupport')?.maxLength, COMMAND_DESCRIPTION_MAX);
    assert.deepEqual(INVOICE_LIMITS, { title: 32, description: 255 });
  });

  test('the catalog cannot be changed by a caller', () => {
    assert.throws(() => (TEXT_CATALOG as TextEntryLike[]).push({}));
    assert.throws(() => {
      (TEXT_CATALOG[0]!.defaults as { en: string }).en = 'changed';
    });
  });
});

type TextEntryLike = object;

describe('truncation', () => {
  test('keeps short text as it is', () => {
    assert.equal(fitInvoiceTitle('Monthly'), 'Monthly');
    assert.equal(fitInvoiceTitle('x'.repeat(32)), 'x'.repeat(32));
  });
  test('invoice title: at most 32, ending in an ellipsis', () => {
    const title = fitInvoiceTitle('A very long plan title that goes on and on');
    assert.ok(title.length <= 32, title);
    assert.equal(title, 'A very long plan title that goe…');
  });
  test('invoice description: at most 255', () => {
    const description = fitInvoiceDescription('word '.repeat(100));
    assert.ok(description.length <= 255);
    assert.ok(description.endsWith('word…'));
  });
  test('never splits an emoji or an accented letter, counting UTF-16 units', () => {
    const emoji = fitInvoiceTitle('😀'.repeat(40));
    assert.ok(emoji.length <= 32);
    assert.equal(emoji, `${'😀'.repeat(15)}…`);
    const family = fitInvoiceTitle('👨‍👩‍👧‍👦'.repeat(10));
    assert.ok(family.length <= 32);
    assert.equal(family, `${'👨‍👩‍👧‍👦'.repeat(2)}…`);
    const accents = truncateText('e\u0301'.repeat(10), 6);
    assert.equal(accents, `${'e\u0301'.repeat(2)}…`);
  });
  test('degenerate limits', () => {
    assert.equal(truncateText('abc', 0), '');
    assert.equal(truncateText('abc', 1), '…');
  });
});
