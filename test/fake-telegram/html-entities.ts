/**
 * parse_mode "HTML" as Telegram parses it (TDLib's parse_html): the supported
 * tags become entities, &lt; &gt; &amp; &quot; and numeric references are
 * decoded, and anything else is refused with Telegram's own wording
 * ("Unsupported start tag \"x\" at byte offset N", …).
 */
import type { MessageEntity } from 'grammy/types';
import { badRequest, type ApiError } from './api-error.js';

const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins', 'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);
const ENTITY_TYPES: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough',
  u: 'underline', ins: 'underline', 'tg-spoiler': 'spoiler', span: 'spoiler', code: 'code', pre: 'pre', blockquote: 'blockquote',
  a: 'text_link', 'tg-emoji': 'custom_emoji',
};
const REFERENCE = /^&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot);/;

interface OpenTag {
  tag: string;
  start: number;
  argument: string;
  language?: string;
}

/** The plain text and entities of an HTML-formatted message text. */
export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Decodes one character reference at `at`, or returns undefined to keep "&" literally. */
function decodeReference(source: string, at: number): { text: string; length: number } | undefined {
  const match = REFERENCE.exec(source.slice(at, at + 12));
  if (!match) return undefined;
  const name = match[1]!;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  if (named[name]) return { text: named[name], length: match[0].length };
  const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(code), length: match[0].length };
}

/** Parses `source`; throws 400 "Bad Request: can't parse entities: …" as Telegram does. */
export function parseHtml(source: string): ParsedText {
  return new HtmlReader(source).read();
}

/** One pass over the source, TDLib's parse_html step by step; `i` is the read position. */
class HtmlReader {
  private i = 0;
  private text = '';
  private readonly stack: OpenTag[] = [];
  private readonly entities: MessageEntity[] = [];

  constructor(private readonly source: string) {}

  read(): ParsedText {
    const { source } = this;
    while (this.i < source.length) {
      const c = source[this.i]!;
      if (c === '&') {
        const ref = decodeReference(source, this.i);
        this.text += ref ? ref.text : '&';
        this.i += ref ? ref.length : 1;
      } else if (c !== '<') {
        this.text += c;
        this.i++;
      } else if (source[this.i + 1] === '/') {
        this.readEndTag(this.i);
      } else {
        this.readStartTag(this.i);
      }
    }
    if (this.stack.length > 0) throw this.fail(`Can't find end tag corresponding to start tag "${this.stack.at(-1)!.tag}"`);
    this.entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
    return { text: this.text, entities: this.entities };
  }

  private fail(detail: string): ApiError {
    return badRequest(`can't parse entities: ${detail}`);
  }

  /** Telegram reports positions in UTF-8 bytes. */
  private at(index: number): string {
    return `at byte offset ${Buffer.byteLength(this.source.slice(0, index), 'utf8')}`;
  }

  private skipSpaces(): void {
    while (this.i < this.source.length && isSpace(this.source[this.i])) this.i++;
  }

  /** Advances to the next space or ">" and returns what it passed over. */
  private readWord(stopAtEquals: boolean): string {
    const start = this.i;
    const stop = (c: string) => isSpace(c) || c === '>' || (stopAtEquals && c === '=');
    while (this.i < this.source.length && !stop(this.source[this.i]!)) this.i++;
    return this.source.slice(start, this.i);
  }

  private readStartTag(begin: number): void {
    this.i++;
    const tag = this.readWord(false).toLowerCase();
    if (this.i >= this.source.length) throw this.fail(`Unclosed start tag ${this.at(begin)}`);
    if (!SUPPORTED_TAGS.has(tag)) throw this.fail(`Unsupported start tag "${tag}" ${this.at(begin)}`);
    let argument = '';
    for (;;) {
      this.skipSpaces();
      if (this.source[this.i] === '>') break;
      const name = this.readWord(true).toLowerCase();
      if (name === '') throw this.fail(`Empty attribute name in the tag "${tag}" ${this.at(begin)}`);
      this.skipSpaces();
      if (this.i >= this.source.length) throw this.fail(`Unclosed start tag ${this.at(begin)}`);
      if (this.source[this.i] !== '=') {
        if (tag === 'blockquote' && name === 'expandable') {
          argument = 'expandable';
          continue;
        }
        throw this.fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" ${this.at(begin)}`);
      }
      this.i++;
      this.skipSpaces();
      if (this.i >= this.source.length) throw this.fail(`Unclosed start tag ${this.at(begin)}`);
      argument = tagArgument(tag, name, this.readAttributeValue(begin)) ?? argument;
    }
    if (tag === 'span' && argument !== 'spoiler') throw this.fail(`Tag "span" must have class "tg-spoiler" ${this.at(begin)}`);
    this.i++;
    this.stack.push({ tag, start: this.text.length, argument });
  }

  /** A quoted value (with references decoded) or a bare name token (lower-cased). */
  private readAttributeValue(tagStart: number): string {
    const { source } = this;
    if (source[this.i] !== '"' && source[this.i] !== "'") {
      const begin = this.i;
      while (this.i < source.length && /[A-Za-z0-9.-]/.test(source[this.i]!)) this.i++;
      if (this.i >= source.length) throw this.fail(`Unclosed start tag ${this.at(tagStart)}`);
      if (!isSpace(source[this.i]) && source[this.i] !== '>') throw this.fail(`Unexpected end of name token ${this.at(begin)}`);
      return source.slice(begin, this.i).toLowerCase();
    }
    const quote = source[this.i++];
    let value = '';
    while (this.i < source.length && source[this.i] !== quote) {
      const ref = source[this.i] === '&' ? decodeReference(source, this.i) : undefined;
      value += ref ? ref.text : source[this.i];
      this.i += ref ? ref.length : 1;
    }
    if (this.i >= source.length) throw this.fail(`Unclosed start tag ${this.at(tagStart)}`);
    this.i++;
    return value;
  }

  private readEndTag(begin: number): void {
    if (this.stack.length === 0) throw this.fail(`Unexpected end tag ${this.at(begin)}`);
    this.i += 2;
    const name = this.readWord(false).toLowerCase();
    this.skipSpaces();
    if (this.source[this.i] !== '>') throw this.fail(`Unclosed end tag ${this.at(begin)}`);
    this.i++;
    const open = this.stack.pop()!;
    // "</>" closes whatever is open, as in TDLib.
    if (name !== '' && name !== open.tag) {
      throw this.fail(`Unmatched end tag ${this.at(begin)}, expected "</${open.tag}>", found "</${name}>"`);
    }
    closeEntity(open, this.stack.at(-1), this.text.length, this.entities);
  }
}

/** The part of an attribute that makes the entity: a link, a code language, a spoiler class, an emoji id. */
function tagArgument(tag: string, name: string, value: string): string | undefined {
  if (tag === 'a' && name === 'href') return value;
  if (tag === 'code' && name === 'class' && value.startsWith('language-')) return value.slice('language-'.length);
  if (tag === 'span' && name === 'class' && value.startsWith('tg-')) return value.slice(3);
  if (tag === 'tg-emoji' && name === 'emoji-id') return value;
  return undefined;
}

/** Turns a closed tag into an entity; <pre><code class="language-x"> becomes one pre with a language. */
function closeEntity(open: OpenTag, parent: OpenTag | undefined, end: number, entities: MessageEntity[]): void {
  const length = end - open.start;
  if (length <= 0) return;
  if (open.tag === 'code' && parent?.tag === 'pre' && parent.start === open.start) {
    if (open.argument) parent.language = open.argument;
    return;
  }
  const base = { offset: open.start, length };
  switch (open.tag) {
    case 'a':
      if (open.argument) entities.push({ ...base, type: 'text_link', url: open.argument });
      return;
    case 'pre':
      entities.push(open.language ? { ...base, type: 'pre', language: open.language } : { ...base, type: 'pre' });
      return;
    case 'tg-emoji':
      if (open.argument) entities.push({ ...base, type: 'custom_emoji', custom_emoji_id: open.argument });
      return;
    case 'blockquote':
      entities.push({ ...base, type: open.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote' });
      return;
    default:
      entities.push({ ...base, type: ENTITY_TYPES[open.tag] as 'bold' });
  }
}
