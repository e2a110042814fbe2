// `ecrf casebook pdf`, `ecrf crf pdf` and `ecrf guide pdf`: the paper trail for the investigator site file and the
// sponsor (one subject's casebook or the whole study's: values, units, statuses, SDV, signatures, audit trail;
// blinded), the blank annotated CRF, and the nurse's quick guide, as PDF with the Chinese text embedded.
import type { Command } from 'commander';
import { openStudyFile } from '../../backend/db/encryption';
import { buildAnnotatedCrfDoc } from '../../../shared/print/annotatedCrfDoc';
import { buildCasebookDoc } from '../../../shared/print/casebookDoc';
import { buildGuideDoc } from '../../../shared/help/guideDoc';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../../shared/protocol/types';
import { findCjkFonts, writePdf } from '../../backend/print/pdfWriter';
import { PrintService } from '../../backend/services/printService';
import { defaultDbFile } from '../dataDir';

const LOCAL_OPERATOR = 'local operator / 本机操作员';

const langOf = (s: string): Lang => (s === 'en' ? 'en' : 'zh-CN');

export async function casebookPdf(opts: { db: string; subject?: string; all?: boolean; out: string; lang: string; font?: string }): Promise<string> {
  if (!opts.subject && !opts.all) throw new Error('请用 --subject KM01-S001 指定受试者，或用 --all 打印整个研究 / name a subject with --subject KM01-S001, or --all for the whole study');
  const fonts = findCjkFonts(opts.font);
  const db = openStudyFile(opts.db, { readonly: true });
  try {
    const service = new PrintService(db);
    const ids = opts.subject ? [service.subjectIdOf(opts.subject)] : service.subjectIds();
    const lang = langOf(opts.lang);
    // One subject at a time: the whole study never sits in memory.
    const docs = (function* () {
      for (const id of ids) yield buildCasebookDoc(service.casebook(id, LOCAL_OPERATOR), lang);
    })();
    const { pages } = await writePdf(docs, opts.out, fonts, { title: opts.subject ? `CRF ${opts.subject}` : 'CRF KM01' });
    return `Wrote ${opts.out}: ${ids.length} subject(s), ${pages} pages / 已生成 ${opts.out}：${ids.length} 名受试者，${pages} 页`;
  } finally {
    db.close();
  }
}

export async function annotatedCrfPdf(opts: { out: string; lang: string; font?: string }): Promise<string> {
  const { pages } = await writePdf([buildAnnotatedCrfDoc(langOf(opts.lang))], opts.out, findCjkFonts(opts.font), { title: 'Annotated CRF' });
  return `Wrote ${opts.out}: ${pages} pages / 已生成 ${opts.out}：${pages} 页`;
}

/** The quick guide: the help notes, with `guide-<topic>-<zh|en>.png` from the screenshots folder where present. */
export async function guidePdf(opts: { out: string; lang: string; font?: string; screenshots?: string }): Promise<string> {
  const lang = langOf(opts.lang);
  const shot = (topic: string) => {
    const file = opts.screenshots ? join(opts.screenshots, `guide-${topic}-${lang === 'en' ? 'en' : 'zh'}.png`) : null;
    return file && existsSync(file) ? file : null;
  };
  const { pages } = await writePdf([buildGuideDoc(lang, shot)], opts.out, findCjkFonts(opts.font), { title: 'Quick guide' });
  return `Wrote ${opts.out}: ${pages} pages / 已生成 ${opts.out}：${pages} 页`;
}

const run = (work: () => Promise<string>) =>
  work().then(
    (line) => console.log(line),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );

export function registerCasebook(program: Command): void {
  program
    .command('casebook')
    .description('casebooks on paper / 病例报告表打印')
    .command('pdf')
    .description("one subject's casebook, or the whole study's, as PDF (blinded; audit trail as appendix)")
    .option('--db <file>', 'SQLite database file', defaultDbFile())
    .option('--subject <screeningNo>', 'screening number, e.g. KM01-S001')
    .option('--all', 'every subject (one casebook after another, each numbered on its own)')
    .requiredOption('--out <file>', 'PDF file to write')
    .option('--lang <lang>', 'zh (default) or en', 'zh')
    .option('--font <file>', 'a font with Chinese glyphs (.ttf/.otf, or file.ttc#PostScriptName)')
    .action((opts: { db: string; subject?: string; all?: boolean; out: string; lang: string; font?: string }) => run(() => casebookPdf(opts)));
  program
    .command('crf')
    .description('the blank annotated CRF / 空白注释 CRF')
    .command('pdf')
    .description('every form with each item’s OID, type, unit, range and choices, as PDF')
    .requiredOption('--out <file>', 'PDF file to write')
    .option('--lang <lang>', 'zh (default) or en', 'zh')
    .option('--font <file>', 'a font with Chinese glyphs')
    .action((opts: { out: string; lang: string; font?: string }) => run(() => annotatedCrfPdf(opts)));
  program
    .command('guide')
    .description("the nurse's quick guide / 护士快速指南")
    .command('pdf')
    .description('the in-app help notes with screenshots of each screen, as PDF')
    .requiredOption('--out <file>', 'PDF file to write')
    .option('--lang <lang>', 'zh (default) or en', 'zh')
    .option('--screenshots <dir>', 'folder with guide-<topic>-<zh|en>.png screenshots')
    .option('--font <file>', 'a font with Chinese glyphs')
    .action((opts: { out: string; lang: string; font?: string; screenshots?: string }) => run(() => guidePdf(opts)));
}
