// INFUSION panel (the ward, blinded): kit against randomisation and the pharmacy's release of that kit. PHARM panel (the
// pharmacist): cell dose ×10⁶/kg from the visit's weight, the viability and cell-count release checks and the kit.
import { useTranslation } from 'react-i18next';
import type { CasebookForm, FormData, VisitCode } from '../../../shared/protocol/types';
import { infusionChecks, pharmChecks, type KitCheck } from './infusionChecks';
import { num } from './responseView';
import { StatusBadge } from './StatusBadge';

export interface InfusionPanelProps {
  values: FormData;
  casebook: CasebookForm[];
  visitCode: VisitCode;
}

function KitRow({ c }: { c: KitCheck }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{t('clinical.infusion.kit')}</dt>
      <dd>
        <StatusBadge status={c.kitMatch} />
        <span className="formula">{c.kitAssigned ? t('clinical.infusion.kitAssigned', { kit: c.kitAssigned }) : t('clinical.infusion.kitNoRand')}</span>
      </dd>
    </>
  );
}

function KitMismatch({ c }: { c: KitCheck }) {
  const { t } = useTranslation();
  return c.kitMatch === 'fail' ? (
    <div className="banner banner-error" role="alert">
      ✗ {t('clinical.infusion.kitMismatch', { entered: c.kitEntered ?? '', kit: c.kitAssigned ?? '' })}
    </div>
  ) : null;
}

export function InfusionPanel({ values, casebook, visitCode }: InfusionPanelProps) {
  const { t } = useTranslation();
  const c = infusionChecks(values, casebook, visitCode);
  return (
    <section className="clin-panel" data-testid="infusion-panel" aria-label={t('clinical.infusion.title')}>
      <h3>{t('clinical.infusion.title')}</h3>
      <dl className="calc-grid">
        <KitRow c={c} />
        <dt>{t('clinical.infusion.release')}</dt>
        <dd data-testid="infusion-release" data-release={c.release}>
          <StatusBadge status={c.release === 'released' ? 'pass' : c.release === 'not_released' ? 'fail' : 'missing'} label={t(`clinical.infusion.releaseState.${c.release}`)} />
          <span className="formula">
            {c.release === 'missing' ? t('clinical.infusion.releaseMissing') : t('clinical.infusion.releaseBy', { kit: c.releaseKit ?? '—', date: c.releaseDate ?? '—' })}
          </span>
        </dd>
      </dl>
      <KitMismatch c={c} />
      {c.release === 'not_released' && (
        <div className="banner banner-error" role="alert">
          ✗ {t('clinical.infusion.notReleased')}
        </div>
      )}
      <p className="muted small">{t('clinical.infusion.blindNote')}</p>
    </section>
  );
}

export function PharmPanel({ values, casebook, visitCode, unblinded }: InfusionPanelProps & { unblinded: boolean }) {
  const { t } = useTranslation();
  const c = pharmChecks(values, casebook, visitCode);
  const missing = t('clinical.infusion.notEntered');
  return (
    <section className="clin-panel" data-testid="pharm-panel" aria-label={t('clinical.pharm.title')}>
      <h3>{t('clinical.pharm.title')}</h3>
      <dl className="calc-grid">
        <KitRow c={c} />
        {unblinded && (
          <>
            <dt>{t('clinical.infusion.cellsPerKg')}</dt>
            <dd>
              {c.cellsPerKg !== null ? (
                <>
                  <strong className="big" data-testid="pharm-dose">
                    {num(c.cellsPerKg, 2)} ×10⁶/kg
                  </strong>
                  <span className="formula">{t('clinical.infusion.cellsFormula', { cells: num(c.cellsInBag, 1), weight: num(c.weightKg, 1) })}</span>
                </>
              ) : (
                <span className="muted">{c.weightKg === null ? t('clinical.infusion.noWeight') : missing}</span>
              )}
            </dd>
            <dt>{t('clinical.pharm.cells')}</dt>
            <dd>
              <StatusBadge status={c.cells} />
              <span className="formula">{c.cellsInBag === null ? missing : `${num(c.cellsInBag, 1)} ×10⁶`}</span>
            </dd>
            {c.productType !== 'PLACEBO' && (
              <>
                <dt>{t('clinical.infusion.viability')}</dt>
                <dd>
                  <StatusBadge status={c.viability} />
                  <span className="formula">{c.viabilityPercent === null ? missing : `${num(c.viabilityPercent, 1)}%`}</span>
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {unblinded && c.viability === 'fail' && (
        <div className="banner banner-error" role="alert">
          ✗ {t('clinical.infusion.viabilityFail', { value: num(c.viabilityPercent, 1) })}
        </div>
      )}
      {unblinded && c.cells === 'fail' && (
        <div className="banner banner-error" role="alert">
          ✗ {t(c.productType === 'PLACEBO' ? 'clinical.pharm.placeboCells' : 'clinical.pharm.cellsOutOfSpec', { value: num(c.cellsInBag, 1) })}
        </div>
      )}
      <KitMismatch c={c} />
      {!unblinded && <p className="muted small">{t('clinical.pharm.blindedNote')}</p>}
    </section>
  );
}
