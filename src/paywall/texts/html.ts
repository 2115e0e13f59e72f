/**
 * Telegram HTML (parse_mode HTML): escaping, a checker that refuses what the
 * Bot API would refuse (or show wrongly) before a text is saved, and the
 * conversion to plain text for places that take no markup (buttons, invoices).
 */

/** The most visible characters a message may have (Telegram counts after parsing entities). */
export const MAX_MESSAGE_LENGTH = 4096;

/** The outcome of checkTelegramHtml: `error` says what is wrong and where. */
export type HtmlCheckResult = { ok: true } | { ok: false; error: string };

type Scan = { ok: true; plain: string } | { ok: false; error: string };
type Attrs = Map<string, string | null>;
interface Open {
  name: string;
  at: number;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const FORMATTING = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler']);
const SUPPORTED = new Set([...FORMATTING, 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const SPECIAL = /[<>&]/g;
const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/y;
const OPEN_TAG = /<[a-zA-Z][a-zA-Z0-9-]*((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>/y;
const CLOSE_TAG = /<\/[a-zA-Z][a-zA-Z0-9-]*\s*>/y;
const ATTR = /\s+([^\s=>"'/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/gy;
const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]*);/y;

/** Escapes `& < > "` so any string can sit in Telegram HTML text or an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function parseAttrs(source: string): Attrs | string {
  const attrs: Attrs = new Map();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(source); m; m = ATTR.exec(source)) {
    const name = m[1]!.toLowerCase();
    if (attrs.has(name)) return `duplicate attribute ${name}`;
    attrs.set(name, m[2] ?? m[3] ?? m[4] ?? null);
  }
  return attrs;
}

/** What is wrong with a start tag's attributes, or undefined. `parent` is the innermost open tag. */
function attributeProblem(name: string, attrs: Attrs, parent: string | undefined): string | undefined {
  const allowed: Record<string, readonly string[]> = { a: ['href'], span: ['class'], code: ['class'], blockquote: ['expandable'], 'tg-emoji': ['emoji-id'] };
  for (const attr of attrs.keys()) {
    if (!(allowed[name] ?? []).includes(attr)) return `attribute ${attr} is not allowed on <${name}>`;
  }
  const value = (attr: string) => attrs.get(attr)?.trim() ?? '';
  if (name === 'a' && value('href') === '') return '<a> needs a non-empty href';
  if (name === 'span' && value('class') !== 'tg-spoiler') return '<span> needs class="tg-spoiler"';
  if (name === 'tg-emoji' && !/^\d+$/.test(value('emoji-id'))) return '<tg-emoji> needs a numeric emoji-id';
  if (name === 'code' && attrs.has('class')) {
    if (parent !== 'pre') return 'class on <code> is only allowed inside <pre>';
    if (!/^language-[\w+#.-]+$/.test(value('class'))) return '<code> class must be "language-<name>"';
  }
  return undefined;
}

/** What is wrong with opening `name` inside the open tags, or undefined. */
function nestingProblem(name: string, open: readonly Open[]): string | undefined {
  const parent = open[open.length - 1]?.name;
  const literal = open.find((tag) => tag.name === 'code' || tag.name === 'pre');
  // <pre><code class="language-x"> is how Telegram takes a code block's language; nothing else nests in code.
  if (literal && !(name === 'code' && parent === 'pre')) return `<${name}> is not allowed inside <${literal.name}>`;
  if ((name === 'a' || name === 'blockquote') && open.some((tag) => tag.name === name)) return `<${name}> cannot be nested inside <${name}>`;
  return undefined;
}

function startTag(html: string, i: number, name: string, open: Open[]): { end: number } | string {
  OPEN_TAG.lastIndex = i;
  const m = OPEN_TAG.exec(html);
  if (!m) return `malformed tag <${name}> at character ${i + 1}`;
  const attrs = parseAttrs(m[1] ?? '');
  if (typeof attrs === 'string') return `${attrs} on <${name}> at character ${i + 1}`;
  const problem = attributeProblem(name, attrs, open[open.length - 1]?.name) ?? nestingProblem(name, open);
  if (problem) return `${problem} at character ${i + 1}`;
  open.push({ name, at: i });
  return { end: i + m[0].length };
}

function endTag(html: string, i: number, name: string, open: Open[]): { end: number } | string {
  CLOSE_TAG.lastIndex = i;
  const m = CLOSE_TAG.exec(html);
  if (!m) return `malformed closing tag </${name}> at character ${i + 1}`;
  const top = open[open.length - 1];
  if (!top) return `unexpected closing tag </${name}> at character ${i + 1}: no tag is open`;
  if (top.name !== name) return `unexpected closing tag </${name}> at character ${i + 1}: <${top.name}> is still open`;
  open.pop();
  return { end: i + m[0].length };
}

function entity(html: string, i: number): { end: number; text: string } | string {
  ENTITY.lastIndex = i;
  const m = ENTITY.exec(html);
  if (!m) return `unescaped & at character ${i + 1}: write &amp;`;
  const body = m[1]!;
  const end = i + m[0].length;
  if (!body.startsWith('#')) {
    const text = NAMED_ENTITIES[body];
    return text === undefined ? `unsupported entity &${body}; at character ${i + 1}: use &lt; &gt; &amp; &quot; or a numeric one` : { end, text };
  }
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  if (code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return `invalid entity &${body}; at character ${i + 1}`;
  return { end, text: String.fromCodePoint(code) };
}

/** Walks the HTML once: the visible text, or the first problem found. */
function scan(html: string): Scan {
  const open: Open[] = [];
  let plain = '';
  let i = 0;
  while (i < html.length) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(html);
    if (!next) {
      plain += html.slice(i);
      break;
    }
    plain += html.slice(i, next.index);
    i = next.index;
    const ch = html[i];
    let step: { end: number; text?: string } | string;
    if (ch === '>') {
      step = `unescaped > at character ${i + 1}: write &gt;`;
    } else if (ch === '&') {
      step = entity(html, i);
    } else {
      TAG_NAME.lastIndex = i;
      const m = TAG_NAME.exec(html);
      if (!m) return { ok: false, error: `unescaped < at character ${i + 1}: write &lt;` };
      const name = m[2]!.toLowerCase();
      if (!SUPPORTED.has(name)) return { ok: false, error: `unsupported tag <${m[1]}${name}> at character ${i + 1}` };
      step = m[1] ? endTag(html, i, name, open) : startTag(html, i, name, open);
    }
    if (typeof step === 'string') return { ok: false, error: step };
    plain += step.text ?? '';
    i = step.end;
  }
  const unclosed = open[open.length - 1];
  if (unclosed) return { ok: false, error: `unclosed tag <${unclosed.name}> (opened at character ${unclosed.at + 1})` };
  return { ok: true, plain };
}

/**
 * Checks `html` the way Telegram's HTML parse mode reads it: supported tags
 * and attributes only, properly nested and closed, `&lt; &gt; &amp; &quot;`
 * and numeric entities only, and 1 to 4096 visible characters.
 */
export function checkTelegramHtml(html: string): HtmlCheckResult {
  const result = scan(html);
  if (!result.ok) return result;
  if (result.plain.trim() === '') return { ok: false, error: 'text is empty' };
  // Telegram counts UTF-16 code units, so this is the strict count for emoji too.
  if (result.plain.length > MAX_MESSAGE_LENGTH) return { ok: false, error: `too long: ${result.plain.length} characters, at most ${MAX_MESSAGE_LENGTH}` };
  return { ok: true };
}

/** checkTelegramHtml shaped as "what is wrong, or undefined" (the broadcast check's shape). */
export function findHtmlProblem(html: string): string | undefined {
  const result = checkTelegramHtml(html);
  return result.ok ? undefined : result.error;
}

/** The visible text of Telegram HTML: tags dropped, entities decoded (for buttons, invoices, command menus). */
export function htmlToPlain(html: string): string {
  const result = scan(html);
  if (result.ok) return result.plain;
  // Not valid HTML (it never is for checked texts): drop anything tag-like and decode what we can.
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp);/g, (_, name: string) => NAMED_ENTITIES[name]!);
}
