// A status shown three ways at once (colour, icon, words) so it reads on any screen and for colour-blind users.
import { useTranslation } from 'react-i18next';

export type BadgeStatus = 'met' | 'not_met' | 'missing' | 'pass' | 'fail';

const ICON: Record<BadgeStatus, string> = { met: '✓', pass: '✓', not_met: '✗', fail: '✗', missing: '?' };
const TONE: Record<BadgeStatus, 'ok' | 'bad' | 'missing'> = { met: 'ok', pass: 'ok', not_met: 'bad', fail: 'bad', missing: 'missing' };

/** label: other words for the same status (an exclusion criterion that is "met" reads "absent"). */
export function StatusBadge({ status, label }: { status: BadgeStatus; label?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge status-${TONE[status]}`} data-status={status}>
      <span aria-hidden="true" className="status-icon">
        {ICON[status]}
      </span>
      {label ?? t(`clinical.status.${status}`)}
    </span>
  );
}

/** pass/fail/missing from a rule's boolean-or-null outcome. */
export function passStatus(pass: boolean | null): BadgeStatus {
  return pass === null ? 'missing' : pass ? 'pass' : 'fail';
}
