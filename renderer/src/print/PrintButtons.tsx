// The ways into the print view: a subject's casebook (from the casebook screen) and the blank annotated CRF.
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintTarget } from './PrintView';

/** Opens the print view (StudyScreens provides it). */
export const OpenPrintContext = createContext<(target: PrintTarget) => void>(() => undefined);

export function PrintCasebookButton({ subjectId }: { subjectId: number }) {
  const { t } = useTranslation();
  const open = useContext(OpenPrintContext);
  return (
    <button type="button" className="btn btn-small" onClick={() => open({ doc: 'casebook', subjectId })} data-testid="print-casebook">
      {t('ward.print.button')}
    </button>
  );
}

export function PrintCrfButton() {
  const { t } = useTranslation();
  const open = useContext(OpenPrintContext);
  return (
    <button type="button" className="btn btn-small" onClick={() => open({ doc: 'crf' })} data-testid="print-crf">
      {t('ward.print.blankCrf')}
    </button>
  );
}
