// A minimal streaming XML writer (elements, attributes, text; escaped, indented) for the ODM export.
// xmlbuilder2's callback API builds a DOM node per element and took ~100 s for 1,000 subjects; this writes
// straight to the sink, so time is linear and memory flat in study size. At 10,000 subjects it writes tens of
// millions of elements, so the common case is kept cheap: values that need no escaping (OIDs, numbers, dates)
// are checked with one regex test and element/attribute names are validated once.

/** Characters XML 1.0 does not allow at all (C0 controls except tab, newline, carriage return; lone surrogates; U+FFFE/F). */
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Anything escapeText might change (surrogates are included whole: pairs are rare, and the slow path keeps them). */
const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Anything escapeAttr might change. */
const ATTR_SPECIAL = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

function escapeTextSlow(s: string): string {
  return s.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? escapeTextSlow(s) : s;
}

export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return escapeTextSlow(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;
const validNames = new Set<string>();

function checkName(name: string, what: 'element' | 'attribute'): void {
  if (validNames.has(name)) return;
  if (!NAME.test(name)) throw new Error(`invalid XML ${what} name ${name}`);
  validNames.add(name);
}

const indents: string[] = [];
/** A newline and two spaces per level, built once per depth. */
function indent(depth: number): string {
  return (indents[depth] ??= `\n${'  '.repeat(depth)}`);
}

export class XmlStreamWriter {
  private readonly stack: string[] = [];
  /** true while the start tag of the top element is still open (no child or text yet). */
  private openTag = false;
  private hasChildElements: boolean[] = [];

  /** sink: takes every piece as it is written (HashedFile joins small strings before encoding them). */
  constructor(private readonly sink: (chunk: string) => void) {}

  private out(s: string): void {
    this.sink(s);
  }

  dec(): this {
    this.out('<?xml version="1.0" encoding="UTF-8"?>');
    return this;
  }

  ele(name: string, attrs: Record<string, string> = {}): this {
    checkName(name, 'element');
    if (this.openTag) this.out('>');
    if (this.hasChildElements.length) this.hasChildElements[this.hasChildElements.length - 1] = true;
    let tag = `${indent(this.stack.length)}<${name}`;
    for (const k in attrs) {
      checkName(k, 'attribute');
      tag += ` ${k}="${escapeAttr(attrs[k]!)}"`;
    }
    this.out(tag);
    this.stack.push(name);
    this.hasChildElements.push(false);
    this.openTag = true;
    return this;
  }

  txt(text: string): this {
    if (this.openTag) this.out('>');
    this.openTag = false;
    this.out(escapeText(text));
    return this;
  }

  up(): this {
    const name = this.stack.pop();
    if (name === undefined) throw new Error('XmlStreamWriter.up() without an open element');
    const hadChildren = this.hasChildElements.pop();
    if (this.openTag) this.out('/>');
    else this.out(hadChildren ? `${indent(this.stack.length)}</${name}>` : `</${name}>`);
    this.openTag = false;
    return this;
  }

  end(): void {
    if (this.stack.length) throw new Error(`XmlStreamWriter.end() with open elements: ${this.stack.join(' > ')}`);
    this.out('\n');
  }
}
