import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, XmlStreamWriter } from './xmlStreamWriter';

// The escaping as first written (every replacement applied to every value): the fast path must agree with it.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const referenceText = (s: string) => s.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const referenceAttr = (s: string) => referenceText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

// Any UTF-16 code units (lone surrogates, controls, U+FFFE/F) and plain ASCII values like the export's.
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '&', '<', '>', '"', '\t', '\n', '\r', '\u0001', '\uD83D', '\uDE00', '\uFFFE', '血', '1') }), fc.string());

describe('escaping', () => {
  it('worked examples', () => {
    expect(escapeText('SCR.LAB.CREAT')).toBe('SCR.LAB.CREAT');
    expect(escapeText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(escapeText('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(escapeText('bell\u0007 lone\uD800 pair\uD83D\uDE00')).toBe('bell\uFFFD lone\uFFFD pair\uD83D\uDE00');
    expect(escapeAttr('say "hi"\tand\r\nbye')).toBe('say &quot;hi&quot;&#9;and&#13;&#10;bye');
    expect(escapeAttr('肌酐 96.5')).toBe('肌酐 96.5');
  });

  it('the fast path gives exactly what the full replacement chain gives, for any string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(escapeText(s)).toBe(referenceText(s));
        expect(escapeAttr(s)).toBe(referenceAttr(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('XmlStreamWriter', () => {
  it('writes nested, indented elements with escaped attributes and text', () => {
    let out = '';
    const x = new XmlStreamWriter((chunk) => (out += chunk));
    x.dec();
    x.ele('ODM', { FileOID: 'A&B' });
    x.ele('Empty').up();
    x.ele('Text', { 'xml:lang': 'zh' }).txt('<肌酐>').up();
    x.up();
    x.end();
    expect(out).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<ODM FileOID="A&amp;B">\n  <Empty/>\n  <Text xml:lang="zh">&lt;肌酐&gt;</Text>\n</ODM>\n');
  });

  it('writes many sibling elements at a constant indent and closes them all', () => {
    const chunks: string[] = [];
    const x = new XmlStreamWriter((chunk) => chunks.push(chunk));
    x.ele('Root');
    for (let i = 0; i < 20_000; i++) x.ele('ItemData', { ItemOID: `IT.${i}`, Value: String(i) }).up();
    x.up();
    x.end();
    const all = chunks.join('');
    expect(all.match(/\n {2}<ItemData ItemOID="IT\.\d+" Value="\d+"\/>/g)).toHaveLength(20_000);
    expect(all.startsWith('\n<Root>\n  <ItemData ItemOID="IT.0" Value="0"/>')).toBe(true);
    expect(all.endsWith('\n  <ItemData ItemOID="IT.19999" Value="19999"/>\n</Root>\n')).toBe(true);
  });

  it('refuses invalid names and unbalanced ends', () => {
    const x = new XmlStreamWriter(() => undefined);
    expect(() => x.ele('1bad')).toThrow(/element name/);
    expect(() => x.ele('Ok', { 'bad attr': 'v' })).toThrow(/attribute name/);
    const y = new XmlStreamWriter(() => undefined);
    y.ele('Open');
    expect(() => y.end()).toThrow(/open elements: Open/);
    expect(() => new XmlStreamWriter(() => undefined).up()).toThrow(/without an open element/);
  });
});
