// A minimal streaming XML writer (elements, attributes, text; escaped, indented) for the ODM export.
// xmlbuilder2's callback API builds a DOM node per element and took ~100 s for 1,000 subjects; this writes
// straight to the sink, so time is linear and memory flat in study size.

/** Characters XML 1.0 does not allow at all (C0 controls except tab, newline, carriage return; lone surrogates; U+FFFE/F). */
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeText(s: string): string {
  return s.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

export class XmlStreamWriter {
  private readonly stack: string[] = [];
  /** true while the start tag of the top element is still open (no child or text yet). */
  private openTag = false;
  private hasChildElements: boolean[] = [];

  constructor(private readonly sink: (chunk: string) => void) {}

  dec(): this {
    this.sink('<?xml version="1.0" encoding="UTF-8"?>');
    return this;
  }

  ele(name: string, attrs: Record<string, string> = {}): this {
    if (!NAME.test(name)) throw new Error(`invalid XML element name ${name}`);
    if (this.openTag) this.sink('>');
    if (this.hasChildElements.length) this.hasChildElements[this.hasChildElements.length - 1] = true;
    let tag = `\n${'  '.repeat(this.stack.length)}<${name}`;
    for (const [k, v] of Object.entries(attrs)) {
      if (!NAME.test(k)) throw new Error(`invalid XML attribute name ${k}`);
      tag += ` ${k}="${escapeAttr(v)}"`;
    }
    this.sink(tag);
    this.stack.push(name);
    this.hasChildElements.push(false);
    this.openTag = true;
    return this;
  }

  txt(text: string): this {
    if (this.openTag) this.sink('>');
    this.openTag = false;
    this.sink(escapeText(text));
    return this;
  }

  up(): this {
    const name = this.stack.pop();
    if (name === undefined) throw new Error('XmlStreamWriter.up() without an open element');
    const hadChildren = this.hasChildElements.pop();
    if (this.openTag) this.sink('/>');
    else this.sink(hadChildren ? `\n${'  '.repeat(this.stack.length)}</${name}>` : `</${name}>`);
    this.openTag = false;
    return this;
  }

  end(): void {
    if (this.stack.length) throw new Error(`XmlStreamWriter.end() with open elements: ${this.stack.join(' > ')}`);
    this.sink('\n');
  }
}
