// zh-CN completeness: every UI string and every protocol label, help text, choice and formula has a real Chinese text,
// not empty and not the English copied over (only proper nouns, units and codes may read the same in both languages).
import { describe, expect, it } from 'vitest';
import { FORMS, VISITS } from '../protocol/study';
import type { Bilingual } from '../protocol/types';
import { uiEn, uiZh } from './ui';
import { BILINGUAL_UNITS, unitIn } from './units';

/** Texts that are the same in Chinese and English on purpose: codes, units, scale names, formats, symbols. */
const SAME_IN_BOTH = new Set([
  '—',
  'YYYY-MM-DD',
  'HH:MM',
  'English',
  'CTCAE',
  'BILAG',
  'SLEDAI-2K',
  'hUC-MSC',
  'NCT01539902 · 方案 CT 11-03',
  'SHA-256',
  // CONMED dose units
  'mg',
  'g',
  'µg',
  'mL',
  'IU',
]);

/**
 * Latin words a Chinese screen may show: study and scale names, lab and formula abbreviations, units, key names, and
 * literal file/command syntax a user must type as is. Any other English word in a zh text is an untranslated leftover.
 */
const LATIN_TERMS = new Set(
  (
    'hUC-MSC MSC eCRF NCT01539902 English Mosteller eGFR CKD-EPI MDRD Cockcroft-Gault BMI BSA Scr max min mol SLE ACR ISN RPS ISN-RPS WHO JSON ' +
    'III IV-S IV-G SLEDAI-2K BILAG HPF dsDNA ANA hCG CTCAE SAE SUSAR SDV UTC Tab Enter Ctrl YYYY-MM-DD SHA-256 CSV PGP PUBLIC KEY BEGIN ' +
    'BLOCK----- INFUSION rand kit allocation block PLACEBO exports backups ecrf backup restore from KM-2012- PDF CRF OID guide pdf'
  ).split(' '),
);
const LATIN_WORD = /[A-Za-z][A-Za-z0-9-]{2,}/g;

/** A zh text needs at least one Chinese character unless it is allow-listed or only numbers, units and symbols. */
const HAS_CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const NO_WORDS = /^[^A-Za-z]*$/;

interface Pair {
  path: string;
  zh: unknown;
  en: unknown;
}

function walkCatalog(zh: unknown, en: unknown, path: string, out: Pair[]): void {
  if (typeof zh === 'string' || typeof en === 'string') {
    out.push({ path, zh, en });
    return;
  }
  const keys = new Set([...Object.keys((zh ?? {}) as object), ...Object.keys((en ?? {}) as object)]);
  for (const k of keys) walkCatalog((zh as Record<string, unknown> | undefined)?.[k], (en as Record<string, unknown> | undefined)?.[k], `${path}.${k}`, out);
}

function protocolPairs(): Pair[] {
  const out: Pair[] = [];
  const add = (path: string, b: Bilingual | undefined) => b && out.push({ path, zh: b.zh, en: b.en });
  for (const v of VISITS) add(`visit.${v.code}`, v.label);
  for (const form of Object.values(FORMS)) {
    add(`${form.code}.label`, form.label);
    for (const f of form.fields) {
      add(`${form.code}.${f.id}.label`, f.label);
      add(`${form.code}.${f.id}.help`, f.help);
      add(`${form.code}.${f.id}.section`, f.section);
      for (const c of f.choices ?? []) add(`${form.code}.${f.id}.choice.${c.value}`, c.label);
      add(`${form.code}.${f.id}.grid.row`, f.grid?.row);
      add(`${form.code}.${f.id}.grid.col`, f.grid?.col);
      add(`${form.code}.${f.id}.grid.title`, f.grid?.table.title);
      add(`${form.code}.${f.id}.grid.rowHeading`, f.grid?.table.rowHeading);
    }
    for (const d of form.derived ?? []) {
      add(`${form.code}.derived.${d.id}.label`, d.label);
      add(`${form.code}.derived.${d.id}.formula`, d.formula);
    }
  }
  return out;
}

/** The reasons a zh text is not acceptable, or null. */
function problem({ zh, en }: Pair): string | null {
  if (typeof zh !== 'string') return 'missing in zh';
  if (typeof en !== 'string') return 'missing in en';
  if (zh.trim() === '') return 'empty zh';
  if (en.trim() === '') return 'empty en';
  if (SAME_IN_BOTH.has(zh)) return null;
  const words = zh.replace(/\{\{\w+\}\}/g, ''); // interpolation placeholders are not words
  if (zh === en && !NO_WORDS.test(words)) return 'zh equals the English';
  if (!HAS_CJK.test(zh) && !NO_WORDS.test(words)) return 'no Chinese in zh';
  const english = (words.match(LATIN_WORD) ?? []).filter((w) => !LATIN_TERMS.has(w));
  if (english.length > 0) return `English left in zh: ${english.join(' ')}`;
  return null;
}

describe('zh-CN completeness', () => {
  it('the UI catalog: every zh string is present, not empty and Chinese', () => {
    const pairs: Pair[] = [];
    walkCatalog(uiZh, uiEn, 'ui', pairs);
    expect(pairs.length).toBeGreaterThan(300);
    expect(pairs.map((p) => [p.path, problem(p), p.zh]).filter(([, why]) => why)).toEqual([]);
  });

  it('the form definitions: labels, help, sections, choices and derived formulas have real Chinese', () => {
    const pairs = protocolPairs();
    expect(pairs.length).toBeGreaterThan(300);
    expect(pairs.map((p) => [p.path, problem(p), p.zh]).filter(([, why]) => why)).toEqual([]);
  });

  it('no Chinese left in the English texts (the English screen is complete too)', () => {
    const pairs: Pair[] = [];
    walkCatalog(uiZh, uiEn, 'ui', pairs);
    pairs.push(...protocolPairs());
    const toggle = 'ui.app.language'; // the language button names the other language in its own script: 中文
    expect(pairs.filter((p) => p.path !== toggle && typeof p.en === 'string' && HAS_CJK.test(p.en)).map((p) => [p.path, p.en])).toEqual([]);
  });

  it('units: one written in Chinese is split per language, so neither screen shows the other language', () => {
    const units = new Set<string>();
    for (const form of Object.values(FORMS)) {
      for (const f of form.fields) if (f.unit) units.add(f.unit);
      for (const d of form.derived ?? []) if (d.unit) units.add(d.unit);
    }
    const chineseUnits = [...units].filter((u) => HAS_CJK.test(u));
    expect(chineseUnits.length).toBeGreaterThan(0);
    expect(chineseUnits.filter((u) => !BILINGUAL_UNITS[u])).toEqual([]);
    for (const u of chineseUnits) {
      expect(HAS_CJK.test(unitIn(u, 'en'))).toBe(false);
      expect(problem({ path: u, zh: unitIn(u, 'zh-CN'), en: unitIn(u, 'en') })).toBeNull();
    }
    expect(unitIn('µmol/L', 'zh-CN')).toBe('µmol/L');
  });

  it('catches a copied English string, an empty one and a missing one (the check can fail)', () => {
    expect(problem({ path: 'x', zh: 'Save', en: 'Save' })).toBe('zh equals the English');
    expect(problem({ path: 'x', zh: ' ', en: 'Save' })).toBe('empty zh');
    expect(problem({ path: 'x', zh: undefined, en: 'Save' })).toBe('missing in zh');
    expect(problem({ path: 'x', zh: 'Dose given', en: 'Dose' })).toBe('no Chinese in zh');
    expect(problem({ path: 'x', zh: '{{count}} / {{total}}', en: '{{count}} / {{total}}' })).toBeNull();
    expect(problem({ path: 'x', zh: '已随机，Day 0 为 {{day0}}', en: 'Randomised, Day 0 {{day0}}' })).toBe('English left in zh: Day');
    expect(problem({ path: 'x', zh: 'eGFR（CKD-EPI 2021）', en: 'eGFR (CKD-EPI 2021)' })).toBeNull();
  });
});
