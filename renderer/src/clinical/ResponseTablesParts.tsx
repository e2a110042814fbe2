// The two tables of the Month 6 renal response, shared by what the rules give now (ResponseScreen) and what was
// confirmed (ResponseRecord): the inputs with their source, and the rule steps with their outcome.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { passStatus, StatusBadge } from './StatusBadge';

export interface InputRowCells {
  key: string;
  label: string;
  value: ReactNode;
  source: string;
  missing: boolean;
}

export interface StepRowCells {
  rule: string;
  /** The rule's words; without it the table shows the rule by number, with the words as its tooltip. */
  label: string;
  value: string;
  threshold: string;
  pass: boolean | null;
}

/** `rowKey`: the data attribute naming each row's input (e2e tests find rows by it). */
export function InputsTable({ rows, sourceHeading, rowKey, caption }: { rows: InputRowCells[]; sourceHeading: string; rowKey: 'data-input' | 'data-record-input'; caption?: string }) {
  const { t } = useTranslation();
  return (
    <table className={`clin-table${caption ? ' record-inputs' : ''}`}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th>{t('clinical.response.item')}</th>
          <th className="num">{t('clinical.response.value')}</th>
          <th>{sourceHeading}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={i.key} className={i.missing ? 'row-missing' : ''} {...{ [rowKey]: i.key }}>
            <td>{i.label}</td>
            <td className="num">{i.value}</td>
            <td className="muted">{i.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `compact`: the confirmed record beside its inputs (no words column). */
export function StepsTable({ rows, rowKey, caption, compact = false }: { rows: StepRowCells[]; rowKey: 'data-rule' | 'data-record-rule'; caption?: string; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <table className={`clin-table${compact ? ' record-steps' : ''}`}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th className="col-no">{t('clinical.response.rule')}</th>
          {!compact && <th>{t('clinical.elig.criterion')}</th>}
          <th className="num">{t('clinical.response.m6Value')}</th>
          <th>{t('clinical.response.threshold')}</th>
          <th className="col-status">{t('clinical.response.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.rule} {...{ [rowKey]: s.rule }} data-pass={String(s.pass)} title={compact ? s.label : undefined}>
            <td className="col-no">{s.rule === 'complete' ? t('clinical.response.ruleComplete') : s.rule}</td>
            {!compact && <td>{s.label}</td>}
            <td className="num">{s.value}</td>
            <td className="threshold">{s.threshold}</td>
            <td className="col-status">
              <StatusBadge status={passStatus(s.pass)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
