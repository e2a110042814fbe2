// Whose casebook is open: screening and randomisation numbers, sex and age (the protocol records no initials), the
// study status and the current visit, on every subject screen and on every printed page.
import { useTranslation } from 'react-i18next';
import type { SubjectSummary } from '../../../shared/api/calls/subjects';
import { subjectFacts } from '../../../shared/protocol/casebook';
import { STATUS_REASONS, type StatusChange } from '../../../shared/protocol/subjectStatus';
import type { CasebookForm } from '../../../shared/protocol/types';
import { visitDef } from '../../../shared/protocol/visits';
import { ageYears } from '../../../shared/rules/age';
import { wardToday } from '../../../shared/rules/wardClock';
import { call } from '../api/client';
import { useApiLoad } from '../components/useApiLoad';
import { UnblindedPill } from '../components/UnblindedPill';
import { pick } from '../i18n';

export interface BannerData {
  subject: SubjectSummary;
  casebook: readonly CasebookForm[];
}

/** The reason of a recorded status change, in the screen's language ('不良事件'), or the code when unknown. */
export function statusReasonText(status: SubjectSummary['status'], reason: string): string {
  const reasons = (STATUS_REASONS as Record<string, Record<string, { zh: string; en: string }> | undefined>)[status as StatusChange];
  const r = reasons?.[reason];
  return r ? pick(r) : reason;
}

export function SubjectBanner({ subject, casebook }: BannerData) {
  const { t } = useTranslation();
  const facts = subjectFacts(casebook);
  const today = wardToday();
  const age = facts.dateOfBirth ? ageYears(facts.dateOfBirth, today) : null;
  const next = subject.nextVisit;
  const change = subject.statusChange;
  return (
    <div className="subject-banner" role="region" aria-label={t('ward.banner.label')} data-testid="subject-banner">
      <strong className="mono banner-no">{subject.screeningNo}</strong>
      <span className="mono">{subject.randNo ? t('ward.banner.randNo', { randNo: subject.randNo }) : t('ward.banner.notRandomised')}</span>
      <span>{facts.sex ? t(`ward.banner.sex_${facts.sex}`) : t('ward.banner.sexUnknown')}</span>
      <span>{age !== null && Number.isFinite(age) ? t('ward.banner.age', { age }) : t('ward.banner.ageUnknown')}</span>
      <span className={`pill pill-${subject.status}`} data-testid="banner-status">
        {change
          ? t('ward.banner.statusSince', { status: t(`subjectStatus.${subject.status}`), date: change.date, reason: statusReasonText(subject.status, change.reason) })
          : t(`subjectStatus.${subject.status}`)}
      </span>
      {subject.unblinded && <UnblindedPill />}
      <span className="banner-visit" data-testid="banner-visit">
        {next ? (
          <>
            {t('ward.banner.currentVisit', { visit: pick(visitDef(next.visitCode)?.label ?? { zh: next.visitCode, en: next.visitCode }), from: next.from, to: next.to })}
            {next.overdue && <span className="overdue"> {t('ward.banner.overdue')}</span>}
          </>
        ) : (
          <span className="muted">{t('ward.banner.noCurrentVisit')}</span>
        )}
      </span>
    </div>
  );
}

/** The banner for a screen that does not load the subject itself (the clinical views). */
export function LoadedSubjectBanner({ subjectId, onSessionLost }: { subjectId: number; onSessionLost(): void }) {
  const load = useApiLoad(
    () => Promise.all([call('subjects.get', { subjectId }), call('clinical.casebook', { subjectId })]).then(([s, casebook]) => ({ subject: s.subject, casebook })),
    [subjectId],
    onSessionLost,
  );
  return load.data ? <SubjectBanner {...load.data} /> : <div className="subject-banner subject-banner-empty" />;
}
