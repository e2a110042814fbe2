// CYC panel: BSA and calculated dose from the live form values, protocol warnings, administered-vs-calculated difference, copy button.
import { useTranslation } from 'react-i18next';
import type { FormData, ItemValue } from '../../../shared/protocol/types';
import { pick } from '../i18n';
import { cycDoseView } from './cycDoseView';
import { num } from './responseView';

export interface CycDosePanelProps {
  values: FormData;
  setValue(fieldId: string, value: ItemValue): void;
  /** The creatinine clearance the rules use (from the LAB of the last 14 days, else typed); default: the typed one. */
  creatinineClearance?: number | null;
  readOnly?: boolean;
}

export function CycDosePanel({ values, setValue, creatinineClearance, readOnly }: CycDosePanelProps) {
  const { t } = useTranslation();
  const v = cycDoseView(values, creatinineClearance);
  return (
    <section className="clin-panel" data-testid="cyc-panel" aria-label={t('clinical.cyc.title')}>
      <h3>{t('clinical.cyc.title')}</h3>
      {v.bsa === null || v.calculatedMg === null ? (
        <p className="muted">{t('clinical.cyc.needInputs')}</p>
      ) : (
        <dl className="calc-grid">
          <dt>{t('clinical.cyc.bsa')}</dt>
          <dd>
            <strong data-testid="cyc-bsa">{num(v.bsa, 3)} m²</strong>
            <span className="formula">{t('clinical.cyc.bsaFormula', { h: num(v.heightCm, 1), w: num(v.weightKg, 1) })}</span>
          </dd>
          <dt>{t('clinical.cyc.calculated')}</dt>
          <dd>
            <strong className="big" data-testid="cyc-dose">
              {v.calculatedMg} mg
            </strong>
            <span className="formula" data-testid="cyc-formula">
              {t('clinical.cyc.calcFormula', { bsa: num(v.bsa, 3), target: num(v.effectiveTargetMgPerM2, 0), raw: num(v.unroundedMg, 1) })}
            </span>
          </dd>
          {v.administeredMg !== null && (
            <>
              <dt>{t('clinical.cyc.difference')}</dt>
              <dd data-testid="cyc-difference" className={v.reasonRequired ? 'diff-bad' : 'diff-ok'}>
                <strong>
                  {v.differencePercent !== null && v.differencePercent > 0 ? '+' : ''}
                  {num(v.differencePercent, 1)}%
                </strong>
                <span className="formula">
                  {v.administeredMg} mg / {v.calculatedMg} mg · {v.reasonRequired ? t('clinical.cyc.reasonRequired') : t('clinical.cyc.withinLimit')}
                </span>
              </dd>
            </>
          )}
        </dl>
      )}
      {v.notices.map((n) => (
        <div key={n.code} className={`banner ${n.level === 'stop' ? 'banner-error' : n.level === 'warn' ? 'banner-warn' : 'banner-info'}`} role="alert" data-notice={n.code}>
          <span aria-hidden="true">{n.level === 'stop' ? '✗ ' : n.level === 'warn' ? '⚠ ' : 'ℹ '}</span>
          {pick(n.message)}
        </div>
      ))}
      {!readOnly && v.calculatedMg !== null && values.doseGiven !== false && v.administeredMg !== v.calculatedMg && (
        <button type="button" className="btn" onClick={() => setValue('administeredDoseMg', v.calculatedMg)} data-testid="cyc-copy">
          {t('clinical.cyc.copy', { dose: v.calculatedMg })}
        </button>
      )}
      <p className="muted small">{t('clinical.cyc.rules')}</p>
    </section>
  );
}
