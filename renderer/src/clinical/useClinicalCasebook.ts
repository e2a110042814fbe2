// Loads the subject's blinded casebook (clinical.casebook) and one form instance, with reload after a save.
import { useContext } from 'react';
import type { FormInstance } from '../../../shared/api/calls/forms';
import type { FormCode, VisitCode } from '../../../shared/protocol/types';
import type { TimedCasebookForm } from './eligibilityStale';
import { call } from '../api/client';
import { useApiLoad, type ApiLoad } from '../components/useApiLoad';
import { SessionLostContext } from './sessionLost';

export interface ClinicalData {
  casebook: TimedCasebookForm[];
  form: FormInstance;
}

export function useClinicalCasebook(subjectId: number, visitCode: VisitCode, formCode: FormCode): ApiLoad<ClinicalData> {
  const sessionLost = useContext(SessionLostContext);
  return useApiLoad(
    () =>
      Promise.all([call('clinical.casebook', { subjectId }), call('forms.get', { subjectId, visitCode, formCode, repeatKey: 0 })]).then(([casebook, form]) => ({
        casebook,
        form,
      })),
    [subjectId, visitCode, formCode],
    sessionLost,
  );
}
