/**
 * A preview of Telegram HTML as the user would see it: Telegram's own tags
 * (b, strong, i, em, u, ins, s, strike, del, code, pre, blockquote,
 * tg-spoiler, span class="tg-spoiler", and a with an http, https or tg link)
 * are re-emitted from a parse, without their other attributes; everything
 * else, including any other tag, is shown as escaped text.
 */
import { escapeText, trustedHtml, type SafeHtml } from './html.js';

const SIMPLE: Readonly<Record<string, string>> = {
  b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's', code: 'code', pre: 'pre',
};
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>"'/<]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*>/y;
const ATTR = /\s+([^\s=>"'/<]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+)))?/g;
const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);/y;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const SAFE_HREF = /^(https?:\/\/|tg:\/\/)/i;
const SPECIAL = /[<&]/g;

interface Open {
  name: string;
  close: string;
}

function decodeEntity(body: string): string | undefined {
  if (!body.startsWith('#')) return NAMED[body];
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  if (code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

function decodeText(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);/g, (whole, body: string) => decodeEntity(body) ?? whole);
}

function attributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) attrs.set(m[1]!.toLowerCase(), decodeText(m[2] ?? m[3] ?? m[4] ?? ''));
  return attrs;
}

/** The markup to emit for a start tag Telegram supports, or undefined to show the tag as text. */
function startTag(name: string, attrs: Map<string, string>): Open | undefined {
  const simple = SIMPLE[name];
  if (simple) return { name, close: `</${simple}>` };
  if (name === 'tg-spoiler' || (name === 'span' && attrs.get('class')?.trim() === 'tg-spoiler')) return { name, close: '</span>' };
  if (name === 'blockquote') return { name, close: '</blockquote>' };
  if (name === 'a') return { name, close: '</a>' };
  // A custom emoji shows its fallback character: the content stays, the tag goes.
  if (name === 'tg-emoji') return { name, close: '' };
  return undefined;
}

function openMarkup(name: string, attrs: Map<string, string>): string {
  const simple = SIMPLE[name];
  if (simple) return `<${simple}>`;
  if (name === 'tg-spoiler' || name === 'span') return '<span class="tg-spoiler">';
  if (name === 'blockquote') return attrs.has('expandable') ? '<blockquote class="expandable">' : '<blockquote>';
  if (name === 'a') {
    const href = (attrs.get('href') ?? '').trim();
    return SAFE_HREF.test(href) ? `<a href="${escapeText(href)}" rel="noopener noreferrer nofollow" target="_blank">` : '<a class="link-blocked">';
  }
  return '';
}

/** The markup for the entity at `i` (escaped text) and where it ends; a bare `&` is text. */
function entityAt(source: string, i: number): { out: string; end: number } {
  ENTITY.lastIndex = i;
  const m = ENTITY.exec(source);
  const decoded = m ? decodeEntity(m[1]!) : undefined;
  return m && decoded !== undefined ? { out: escapeText(decoded), end: i + m[0].length } : { out: '&amp;', end: i + 1 };
}

/** The markup for the tag at `i` and where it ends, updating the open tags; a tag Telegram does not have is text. */
function tagAt(source: string, i: number, open: Open[]): { out: string; end: number } {
  TAG.lastIndex = i;
  const m = TAG.exec(source);
  if (!m) return { out: '&lt;', end: i + 1 };
  const name = m[2]!.toLowerCase();
  const end = i + m[0].length;
  if (m[1] === '/') {
    // Only the innermost open tag may close; any other closing tag is shown as text.
    return open.length > 0 && open[open.length - 1]!.name === name ? { out: open.pop()!.close, end } : { out: '&lt;', end: i + 1 };
  }
  const attrs = attributes(m[3] ?? '');
  const tag = startTag(name, attrs);
  if (!tag) return { out: '&lt;', end: i + 1 };
  open.push(tag);
  return { out: openMarkup(name, attrs), end };
}

/** Telegram HTML as safe markup for the page (meant for text checkTelegramHtml accepts; anything else is shown as text). */
export function telegramPreview(source: string): SafeHtml {
  const open: Open[] = [];
  let out = '';
  let i = 0;
  while (i < source.length) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(source);
    const stop = next ? next.index : source.length;
    out += escapeText(source.slice(i, stop));
    if (!next) break;
    const step = source[stop] === '&' ? entityAt(source, stop) : tagAt(source, stop, open);
    out += step.out;
    i = step.end;
  }
  while (open.length > 0) out += open.pop()!.close;
  return trustedHtml(out);
}
