// INFUSION panel: cell dose ×10⁶/kg from the visit's weight, viability release check and kit match with RAND, in blinded wording.
import { useTranslation } from 'react-i18next';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';
import { infusionChecks } from './infusionChecks';
import { num } from './responseView';
import { StatusBadge } from './StatusBadge';

export interface InfusionPanelProps {
  values: FormData;
  casebook: CasebookForm[];
  visitCode: VisitCode;
}

export function InfusionPanel({ values, casebook, visitCode }: InfusionPanelProps) {
  const { t } = useTranslation();
  const c = infusionChecks(values, casebook, visitCode);
  const missing = t('clinical.infusion.notEntered');
  return (
    <section className="clin-panel" data-testid="infusion-panel" aria-label={t('clinical.infusion.title')}>
      <h3>{t('clinical.infusion.title')}</h3>
      <dl className="calc-grid">
        <dt>{t('clinical.infusion.cellsPerKg')}</dt>
        <dd>
          {c.cellsPerKg !== null ? (
            <>
              <strong className="big" data-testid="infusion-dose">
                {num(c.cellsPerKg, 2)} ×10⁶/kg
              </strong>
              <span className="formula">{t('clinical.infusion.cellsFormula', { cells: num(c.cellsInBag, 1), weight: num(c.weightKg, 1) })}</span>
            </>
          ) : (
            <span className="muted">{c.weightKg === null ? t('clinical.infusion.noWeight') : missing}</span>
          )}
        </dd>
        <dt>{t('clinical.infusion.viability')}</dt>
        <dd>
          <StatusBadge status={c.release === 'missing' ? 'missing' : c.release} />
          <span className="formula">{c.viabilityPercent === null ? missing : `${num(c.viabilityPercent, 1)}%`}</span>
        </dd>
        <dt>{t('clinical.infusion.kit')}</dt>
        <dd>
          <StatusBadge status={c.kitMatch === 'missing' ? 'missing' : c.kitMatch} />
          <span className="formula">{c.kitAssigned ? t('clinical.infusion.kitAssigned', { kit: c.kitAssigned }) : t('clinical.infusion.kitNoRand')}</span>
        </dd>
      </dl>
      {c.release === 'fail' && (
        <div className="banner banner-error" role="alert">
          ✗ {t('clinical.infusion.viabilityFail', { value: num(c.viabilityPercent, 1) })}
        </div>
      )}
      {c.kitMatch === 'fail' && (
        <div className="banner banner-error" role="alert">
          ✗ {t('clinical.infusion.kitMismatch', { entered: c.kitEntered ?? '', kit: c.kitAssigned ?? '' })}
        </div>
      )}
    </section>
  );
}
