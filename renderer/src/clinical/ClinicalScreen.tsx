// The clinical screens of one subject (eligibility, Month 6 response, kidney trends) under one tab bar with a way back.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { CycCalculatorScreen } from './CycCalculatorScreen';
import { EligibilityScreen } from './EligibilityScreen';
import { LabChartScreen } from './LabChart';
import { ResponseScreen } from './ResponseScreen';
import { SessionLostContext } from './sessionLost';
import { LoadedSubjectBanner } from '../subject/SubjectBanner';

export type ClinicalView = 'eligibility' | 'cyc' | 'response' | 'labs';
const VIEWS: ClinicalView[] = ['eligibility', 'cyc', 'response', 'labs'];

export interface ClinicalScreenProps {
  subjectId: number;
  view: ClinicalView;
  onView(view: ClinicalView): void;
  onBack(): void;
  /** Label of the back button; defaults to "back to subject list". */
  backLabel?: string;
  /** Called when a call fails because the session is locked or gone. */
  onSessionLost?(): void;
}

function assertNever(x: never): never {
  throw new Error(`unknown view ${String(x)}`);
}

export function ClinicalScreen({ subjectId, view, onView, onBack, backLabel, onSessionLost }: ClinicalScreenProps) {
  const { t } = useTranslation();
  const [screeningNo, setScreeningNo] = useState<string | null>(null);
  useEffect(() => {
    const show = (s: { screeningNo: string; randNo: string | null }) => setScreeningNo(s.randNo ? `${s.screeningNo} · ${s.randNo}` : s.screeningNo);
    call('subjects.get', { subjectId }).then(
      (r) => show(r.subject),
      // Fallback: the subject list carries the same numbers.
      () =>
        call('subjects.list', {}).then(
          (list) => {
            const s = list.rows.find((x) => x.id === subjectId);
            if (s) show(s);
          },
          () => setScreeningNo(null),
        ),
    );
  }, [subjectId]);
  const body = (() => {
    switch (view) {
      case 'eligibility':
        return <EligibilityScreen key={subjectId} subjectId={subjectId} />;
      case 'cyc':
        return <CycCalculatorScreen key={subjectId} subjectId={subjectId} />;
      case 'response':
        return <ResponseScreen key={subjectId} subjectId={subjectId} />;
      case 'labs':
        return <LabChartScreen key={subjectId} subjectId={subjectId} />;
      default:
        return assertNever(view);
    }
  })();
  return (
    <SessionLostContext.Provider value={onSessionLost ?? (() => {})}>
      <div className="clinical-screen">
        <LoadedSubjectBanner subjectId={subjectId} onSessionLost={onSessionLost ?? (() => {})} />
        <nav className="clin-nav" aria-label={t('clinical.nav.subject', { no: screeningNo ?? '' })}>
          <button type="button" className="btn" onClick={onBack}>
            ← {backLabel ?? t('clinical.nav.back')}
          </button>
          {screeningNo && <strong className="clin-subject">{t('clinical.nav.subject', { no: screeningNo })}</strong>}
          <div className="clin-tabs" role="tablist">
            {VIEWS.map((v) => (
              <button key={v} type="button" role="tab" aria-selected={v === view} className={v === view ? 'clin-tab active' : 'clin-tab'} onClick={() => onView(v)}>
                {t(`clinical.nav.${v}`)}
              </button>
            ))}
          </div>
        </nav>
        {body}
      </div>
    </SessionLostContext.Provider>
  );
}
