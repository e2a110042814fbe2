// The print view of a casebook or the blank annotated CRF: the same document the command line prints (shared/print),
// as HTML with print CSS: A4, the protocol/site/subject header and "page x of y" in the page margins of every page,
// nothing of the app's navigation. The desktop app saves it as a PDF (printToPDF); a browser prints it.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostApi } from '../../../shared/api/host';
import type { CasebookPrint } from '../../../shared/api/calls/print';
import { buildAnnotatedCrfDoc } from '../../../shared/print/annotatedCrfDoc';
import { buildCasebookDoc } from '../../../shared/print/casebookDoc';
import type { PrintBlock } from '../../../shared/print/printDoc';
import { call } from '../api/client';
import { ErrorBanner } from '../components/ErrorBanner';
import { LoadedContent } from '../components/LoadedContent';
import { useApiAction } from '../components/useApiAction';
import { useApiLoad } from '../components/useApiLoad';
import { currentLang } from '../i18n';
import { documentPageCss } from './pageCss';
import { HelpButton } from '../help/HelpButton';

export type PrintTarget = { doc: 'casebook'; subjectId: number } | { doc: 'crf' };

/** The desktop host's printToPDF, when the app runs in Electron. */
const host = (): Partial<HostApi> | undefined => window.ecrf as Partial<HostApi> | undefined;

export function PrintView({ target, onBack, onSessionLost }: { target: PrintTarget; onBack(): void; onSessionLost(): void }) {
  if (target.doc === 'crf') return <PrintedDoc data={null} target={target} onBack={onBack} />;
  return <CasebookPrintView subjectId={target.subjectId} target={target} onBack={onBack} onSessionLost={onSessionLost} />;
}

function CasebookPrintView({ subjectId, target, onBack, onSessionLost }: { subjectId: number; target: PrintTarget; onBack(): void; onSessionLost(): void }) {
  const load = useApiLoad(() => call('print.casebook', { subjectId }), [subjectId], onSessionLost);
  return <LoadedContent state={load}>{(data) => <PrintedDoc data={data} target={target} onBack={onBack} />}</LoadedContent>;
}

function PrintedDoc({ data, target, onBack }: { data: CasebookPrint | null; target: PrintTarget; onBack(): void }) {
  const { t, i18n } = useTranslation();
  const lang = currentLang();
  const doc = useMemo(() => (target.doc === 'crf' || !data ? buildAnnotatedCrfDoc(lang) : buildCasebookDoc(data, lang)), [data, target.doc, lang, i18n.language]);
  const save = useApiAction();
  const [saved, setSaved] = useState<string | null>(null);
  const printToPdf = host()?.['host.printToPdf'];
  const fileName = target.doc === 'crf' ? 'annotated-crf.pdf' : `${data?.subject.screeningNo ?? 'casebook'}-casebook.pdf`;
  const savePdf = () =>
    void save.run(async () => {
      const r = await printToPdf!({ fileName });
      if (!r.ok) throw new Error(`${r.error.message.zh} / ${r.error.message.en}`);
      setSaved(r.value?.path ?? null);
    });
  return (
    <section className="print-view" data-testid="print-view">
      <style>{documentPageCss(doc)}</style>
      <div className="print-toolbar no-print">
        <button type="button" className="link-button" onClick={onBack}>
          {t('ward.print.close')}
        </button>
        {printToPdf ? (
          <button type="button" className="btn btn-primary" onClick={savePdf} disabled={save.busy} data-testid="save-pdf">
            {t('ward.print.savePdf')}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="print-now">
            {t('ward.print.print')}
          </button>
        )}
        <span className="muted small">{t('ward.print.hint')}</span>
        <HelpButton topic="print" />
        {saved && <span role="status">{t('ward.print.saved', { path: saved })}</span>}
        <ErrorBanner error={save.error} />
      </div>
      <article className="print-doc" lang={lang === 'en' ? 'en' : 'zh-CN'}>
        {/* On screen the running header stands above the document; on paper it is in every page's margin. */}
        <div className="print-running no-print-hide muted small">{doc.header}</div>
        <h1 className="print-title">{doc.title}</h1>
        {doc.subtitle.map((line) => (
          <p key={line} className="print-subtitle">
            {line}
          </p>
        ))}
        {doc.blocks.map((b, i) => (
          <Block key={i} block={b} />
        ))}
      </article>
    </section>
  );
}

function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}

function Block({ block }: { block: PrintBlock }) {
  switch (block.kind) {
    case 'heading': {
      const cls = block.newPage ? 'print-new-page' : undefined;
      if (block.level === 1) return <h2 className={cls}>{block.text}</h2>;
      if (block.level === 2) return <h2 className={`print-visit ${cls ?? ''}`}>{block.text}</h2>;
      return <h3 className={cls}>{block.text}</h3>;
    }
    case 'paragraph':
      return <p className={block.muted ? 'muted small' : 'small'}>{block.text}</p>;
    case 'list':
      return (
        <ul>
          {block.items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      );
    case 'image':
      // Screenshots are files on the printing machine (the quick guide on the command line), not in the app.
      return <p className="muted small">{block.caption}</p>;
    case 'items':
      return (
        <table className="print-table print-items">
          <TableHead columns={block.columns} />
          <tbody>
            {block.rows.map((r, i) => (
              <tr key={i} className={r.muted ? 'muted' : undefined}>
                <td>{r.label}</td>
                <td>{r.value}</td>
                <td>{r.unit}</td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'table': {
      const total = block.widths.reduce((a, b) => a + b, 0);
      return (
        <table className="print-table">
          <colgroup>
            {block.widths.map((w, i) => (
              <col key={i} style={{ width: `${(w / total) * 100}%` }} />
            ))}
          </colgroup>
          <TableHead columns={block.columns} />
          <tbody>
            {block.rows.map((r, i) => (
              <tr key={i}>
                {r.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
  }
}
