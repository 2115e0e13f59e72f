/**
 * How the pages write values: times in UTC (and saying so), money as whole
 * Stars, people by name. Every helper returns escaped markup or plain text.
 */
import type { User } from '../../paywall/index.js';
import { html, type SafeHtml } from './html.js';

const NUMBER = new Intl.NumberFormat('en-US');

/** `2026-03-01 12:00 UTC`, or `fallback` for no date. */
export function formatUtc(date: Date | null | undefined, fallback = '—'): string {
  if (!date || Number.isNaN(date.getTime())) return fallback;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A `<time>` element in UTC with its ISO instant, or `fallback` for no date. */
export function utcTime(date: Date | null | undefined, fallback = '—'): SafeHtml {
  if (!date || Number.isNaN(date.getTime())) return html`${fallback}`;
  return html`<time datetime="${date.toISOString()}">${formatUtc(date)}</time>`;
}

/** A whole number with thousands separators: `12,345`. */
export function formatCount(value: number): string {
  return NUMBER.format(value);
}

/** An amount of Telegram Stars: `1,250 Stars`. */
export function stars(amount: number): SafeHtml {
  return html`<span class="stars" data-stars="${amount}">${formatCount(amount)}&nbsp;Stars</span>`;
}

/** A user's display name: first and last name, or @username, or `User <id>`. */
export function displayName(user: Pick<User, 'id' | 'firstName' | 'lastName' | 'username'>): string {
  const full = [user.firstName, user.lastName].filter((part) => part && part.trim()).join(' ').trim();
  if (full) return full;
  return user.username ? `@${user.username}` : `User ${user.id}`;
}

/** A link to the user's page, with their @username beside the name when they have one. */
export function userLink(user: Pick<User, 'id' | 'firstName' | 'lastName' | 'username'>): SafeHtml {
  const name = displayName(user);
  const handle = user.username && !name.startsWith('@') ? html` <span class="muted">@${user.username}</span>` : '';
  return html`<a href="/users/${user.id}">${name}</a>${handle}`;
}

/** `1 job` / `3 jobs`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A duration in milliseconds in its largest whole unit: `7 days`, `3 hours`, `0 seconds`. */
export function formatSpan(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1_000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return plural(ms / size, name);
  }
  return ms >= 60_000 ? plural(Math.round(ms / 60_000), 'minute') : plural(Math.round(ms / 1_000), 'second');
}
