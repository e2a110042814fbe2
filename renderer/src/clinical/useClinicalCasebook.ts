// Loads the subject's blinded casebook (clinical.casebook) and one form instance, with reload after a save.
import { useCallback, useEffect, useState } from 'react';
import type { FormInstance } from '../../../shared/api/calls/forms';
import type { FormCode, VisitCode } from '../../../shared/protocol/types';
import type { TimedCasebookForm } from './eligibilityStale';
import { call } from '../api/client';
import { useSessionLost } from './sessionLost';

export interface ClinicalData {
  casebook: TimedCasebookForm[] | null;
  form: FormInstance | null;
  error: unknown;
  reload(): void;
}

export function useClinicalCasebook(subjectId: number, visitCode: VisitCode, formCode: FormCode): ClinicalData {
  const [casebook, setCasebook] = useState<TimedCasebookForm[] | null>(null);
  const [form, setForm] = useState<FormInstance | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const sessionLost = useSessionLost();
  useEffect(() => {
    let live = true;
    Promise.all([call('clinical.casebook', { subjectId }), call('forms.get', { subjectId, visitCode, formCode, repeatKey: 0 })]).then(
      ([c, f]) => {
        if (!live) return;
        setCasebook(c);
        setForm(f);
        setError(null);
      },
      (e: unknown) => {
        if (live && !sessionLost(e)) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [subjectId, visitCode, formCode, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { casebook, form, error, reload };
}
