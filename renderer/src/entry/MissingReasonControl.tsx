// Beside a field that may be empty for a reason (FieldDef.missingReasons): small buttons 未做 / 不详 / 不适用 (only the
// reasons the field allows) while its input is blank; the chosen one is stored as `<id>__missing`. Typing a value
// clears the reason. Read-only, the chosen reason is shown as a label. The row reads its own slice of the live form
// (blank or not, its reason), so a keystroke re-renders it only when the field turns blank or filled.
import { memo, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MISSING_REASON_LABELS, isMissingReason } from '../../../shared/protocol/missingValues';
import type { FieldDef } from '../../../shared/protocol/types';
import { pick } from '../i18n';
import type { FieldEnv } from './FieldInput';
import { useLive } from './liveForm';

export const MissingReasonControl = memo(function MissingReasonControl({ field, env, locked, compact = false }: { field: FieldDef; env: FieldEnv; locked: boolean; compact?: boolean }) {
  const { t } = useTranslation();
  const blank = useLive(env.store, (l) => l.blank.has(field.id));
  const reason = useLive(env.store, (l) => l.reasons.get(field.id) ?? '');
  const readOnly = env.readOnly || locked;
  // A value typed (or a radio chosen) replaces the reason.
  useEffect(() => {
    if (!blank && reason && !readOnly) env.setReason(field.id, '');
  }, [blank, reason, readOnly, env, field.id]);
  if (!field.missingReasons?.length || !blank) return null;
  if (readOnly) {
    return reason && isMissingReason(reason) ? (
      <span className="missing-reason-chip" data-testid={`missing-${field.id}`} data-reason={reason}>
        {pick(MISSING_REASON_LABELS[reason])}
      </span>
    ) : null;
  }
  // Named "缺失原因" for assistive technology (the field's own label stays the input's alone); the tooltip names the field.
  const title = t('entry.form.missingReasonTitle', { field: pick(field.label) });
  const name = t('entry.form.missingReasonShort');
  if (compact) {
    return (
      <select
        className={`missing-reason-select${reason ? ' chosen' : ''}`}
        value={reason}
        tabIndex={-1}
        title={title}
        aria-label={name}
        onChange={(e) => env.setReason(field.id, e.target.value)}
        data-testid={`missing-${field.id}`}
      >
        <option value="">{t('entry.form.missingReasonShort')}</option>
        {field.missingReasons.map((r) => (
          <option key={r} value={r}>
            {pick(MISSING_REASON_LABELS[r])}
          </option>
        ))}
      </select>
    );
  }
  return (
    <span className="missing-reasons" role="group" aria-label={name} title={title} data-testid={`missing-${field.id}`} data-reason={reason}>
      {field.missingReasons.map((r) => (
        <button
          key={r}
          type="button"
          // Out of the Tab order, like the history link: Tab / Enter go from input to input on the ward.
          tabIndex={-1}
          className={`missing-reason${reason === r ? ' chosen' : ''}`}
          aria-pressed={reason === r}
          onClick={() => env.setReason(field.id, reason === r ? '' : r)}
          data-reason={r}
        >
          {pick(MISSING_REASON_LABELS[r])}
        </button>
      ))}
    </span>
  );
});
