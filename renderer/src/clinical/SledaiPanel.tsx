// SLEDAI-2K on the form screen (issue 14): every descriptor is answered 有 / 无 (present / absent); "absent" is a value,
// a blank is "not entered". Below the descriptors: how many are answered, which are not (an old form saved when a
// blank meant absent shows them as not entered), and "mark the rest absent" for the ones not answered yet.
import { useTranslation } from 'react-i18next';
import { SLEDAI_DESCRIPTORS } from '../../../shared/rules/sledai';
import type { FormPanelProps } from '../entry/formExtensions';
import { pick } from '../i18n';
import { unansweredDescriptors } from './sledaiAnswers';

export function SledaiPanel({ values, setValue, readOnly, saved }: FormPanelProps) {
  const { t } = useTranslation();
  const open = unansweredDescriptors(values);
  const answered = SLEDAI_DESCRIPTORS.length - open.length;
  return (
    <section className="sledai-panel" data-testid="sledai-panel">
      <span className="sledai-count" data-testid="sledai-answered">
        {t('clinical.sledai.answered', { n: answered, total: SLEDAI_DESCRIPTORS.length })}
      </span>
      {!readOnly && (
        <button type="button" className="btn btn-small" disabled={open.length === 0} onClick={() => open.forEach((d) => setValue(d.id, false))} data-testid="sledai-rest-absent">
          {t('clinical.sledai.restAbsent')}
        </button>
      )}
      {open.length > 0 && (saved || readOnly) && (
        <div className="sledai-open small" data-testid="sledai-not-entered">
          {t('clinical.sledai.notEntered', { items: open.map((d) => pick(d.label)).join(t('clinical.sledai.listSeparator')) })}
        </div>
      )}
    </section>
  );
}
