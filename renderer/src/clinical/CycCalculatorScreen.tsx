// CYC dose calculator of one subject: height, weight and WBC pre-filled from the casebook, the CYC panel's numbers and warnings live.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CasebookForm, FormData, ItemValue, VisitCode } from '../../../shared/protocol/types';
import { visitDef } from '../../../shared/protocol/visits';
import { pick } from '../i18n';
import { CYC_VISITS, cycStartValues } from './cycStartValues';
import { ClinicalPage } from './ClinicalPage';
import { CycDosePanel } from './CycDosePanel';
import { useClinicalCasebook } from './useClinicalCasebook';

const INPUTS = [
  { id: 'heightCm', unit: 'cm' },
  { id: 'weightKg', unit: 'kg' },
  { id: 'targetMgPerM2', unit: 'mg/m²' },
  { id: 'wbc', unit: '×10⁹/L' },
  { id: 'creatinineClearance', unit: 'mL/min' },
  { id: 'administeredDoseMg', unit: 'mg' },
] as const;

function Calculator({ casebook, visit }: { casebook: CasebookForm[]; visit: VisitCode }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<FormData>(() => cycStartValues(casebook, visit));
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(INPUTS.map((i) => [i.id, typeof values[i.id] === 'number' ? String(values[i.id]) : ''])),
  );
  const set = (id: string, value: ItemValue) => {
    setValues((v) => ({ ...v, [id]: value }));
    setText((x) => ({ ...x, [id]: value === null ? '' : String(value) }));
  };
  const onText = (id: string, raw: string) => {
    setText((x) => ({ ...x, [id]: raw }));
    const n = raw.trim() === '' ? null : Number(raw.replace('，', '.').trim());
    setValues((v) => ({ ...v, [id]: n !== null && Number.isFinite(n) ? n : null }));
  };
  return (
    <>
      <div className="calc-inputs">
        {INPUTS.map((i) => (
          <label key={i.id}>
            {t(`clinical.cycCalc.${i.id}`)}
            <span className="field-control">
              <input type="text" inputMode="decimal" value={text[i.id] ?? ''} onChange={(e) => onText(i.id, e.target.value)} data-field={i.id} />
              <span className="unit">{i.unit}</span>
            </span>
          </label>
        ))}
      </div>
      <CycDosePanel values={{ ...values, doseGiven: true }} setValue={set} />
    </>
  );
}

export function CycCalculatorScreen({ subjectId }: { subjectId: number }) {
  const { t } = useTranslation();
  const load = useClinicalCasebook(subjectId, 'D0', 'CYC');
  const [visit, setVisit] = useState<VisitCode>('D0');
  return (
    <ClinicalPage testId="cyc-screen" title={t('clinical.cycCalc.title')} state={load}>
      {({ casebook }) => (
        <>
          <p className="muted">{t('clinical.cycCalc.intro')}</p>
          <label className="visit-pick">
            {t('clinical.cycCalc.visit')}
            <select value={visit} onChange={(e) => setVisit(e.target.value as VisitCode)}>
              {CYC_VISITS.map((v) => (
                <option key={v} value={v}>
                  {pick(visitDef(v)!.label)}
                </option>
              ))}
            </select>
          </label>
          <Calculator key={visit} casebook={casebook} visit={visit} />
        </>
      )}
    </ClinicalPage>
  );
}
