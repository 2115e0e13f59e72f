/** Placeholders, escaping, and durations and dates in words. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDate, formatDuration, formatNumber, placeholdersIn, renderText } from '../../../src/paywall/texts/index.js';

describe('renderText', () => {
  test('escapes every value', () => {
    assert.equal(
      renderText('<b>{title}</b> by {name}', { title: '<script>alert(1)</script>', name: 'Ann & "Bo"' }),
      '<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> by Ann &amp; &quot;Bo&quot;',
    );
  });
  test('fills every occurrence; numbers become text', () => {
    assert.equal(renderText('{price} ⭐ ({price})', { price: 250 }), '250 ⭐ (250)');
  });
  test('leaves unknown placeholders visible, and braces that are not placeholders alone', () => {
    assert.equal(renderText('Hi {nmae}, {title}', { name: 'Ann', title: 'T' }), 'Hi {nmae}, T');
    assert.equal(renderText('{ title } {} {1x}', { title: 'T' }), '{ title } {} {1x}');
  });
  test('does not expand placeholders inside values', () => {
    assert.equal(renderText('{a} {b}', { a: '{b}', b: 'B' }), '{b} B');
  });
  test('does not read inherited properties', () => {
    assert.equal(renderText('{constructor}', {}), '{constructor}');
  });
  test('placeholdersIn lists names once, in order', () => {
    assert.deepEqual(placeholdersIn('{b} {a} {b} { c }'), ['b', 'a']);
  });
});

describe('formatDuration', () => {
  test('English', () => {
    assert.equal(formatDuration(30 * 86_400, 'en'), '30 days');
    assert.equal(formatDuration(86_400, 'en'), '1 day');
    assert.equal(formatDuration(12 * 3600, 'en'), '12 hours');
    assert.equal(formatDuration(36 * 3600, 'en'), '36 hours');
    assert.equal(formatDuration(90 * 60, 'en'), '90 minutes');
    assert.equal(formatDuration(1, 'en'), '1 second');
    assert.equal(formatDuration(null, 'en'), 'lifetime');
  });
  test('Spanish', () => {
    assert.equal(formatDuration(30 * 86_400, 'es'), '30 días');
    assert.equal(formatDuration(86_400, 'es'), '1 día');
    assert.equal(formatDuration(12 * 3600, 'es'), '12 horas');
    assert.equal(formatDuration(3600, 'es'), '1 hora');
    assert.equal(formatDuration(null, 'es'), 'de por vida');
  });
});

describe('formatDate and formatNumber', () => {
  const christmas = new Date('2026-12-25T14:00:59Z');
  test('a UTC date, day first', () => {
    assert.equal(formatDate(christmas, 'en'), '25 Dec 2026, 14:00 UTC');
    assert.equal(formatDate(christmas, 'es'), '25 dic 2026, 14:00 UTC');
    assert.equal(formatDate(new Date('2026-09-05T00:05:00Z'), 'en'), '5 Sep 2026, 00:05 UTC');
  });
  test('UTC whatever the local zone: late evening elsewhere is the next day here', () => {
    assert.equal(formatDate(new Date('2026-01-01T23:30:00-05:00'), 'en'), '2 Jan 2026, 04:30 UTC');
  });
  test('an invalid date does not throw', () => {
    assert.equal(formatDate(new Date(Number.NaN), 'en'), '?');
  });
  test('numbers grouped the language’s way', () => {
    assert.equal(formatNumber(12345, 'en'), '12,345');
    assert.equal(formatNumber(12345, 'es'), '12.345');
  });
});
