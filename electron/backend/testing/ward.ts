// A ward for integration tests: the back end on a real SQLite file at the ward's clock (2024-09-01 10:00 Beijing), a
// nurse and an investigator logged in, one subject, and saving a form as the ward does (expected version, reason).
import type { FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { setClock } from '../audit/clock';
import { ok } from './apiResults';
import { testBackend, type TestBackend } from './fixtures';

export type SessionKey = { key: string };

export interface Ward {
  t: TestBackend;
  nurse: SessionKey;
  doctor: SessionKey;
  subjectId: number;
  key(visitCode: VisitCode, formCode: FormCode, repeatKey?: number): { subjectId: number; visitCode: VisitCode; formCode: FormCode; repeatKey: number };
  /** The form's stored version (0 when not saved yet). */
  version(visitCode: VisitCode, formCode: FormCode, repeatKey?: number): number;
  /** forms.save at the stored version, with the reason for change when given. */
  save(visitCode: VisitCode, formCode: FormCode, data: FormData, who: SessionKey, repeatKey?: number, reason?: string): ReturnType<TestBackend['call']>;
  /** Screening as the fixture has it, each form by the role that enters it, then the RAND form. */
  screenedAndRandomised(): Promise<void>;
  /** Proves the data against the audit trail, closes the back end and restores the clock. */
  close(): void;
}

export async function openWard(): Promise<Ward> {
  const restoreClock = setClock(() => new Date('2024-09-01T02:00:00Z'));
  const t = await testBackend();
  const nurse = await t.login('data_entry', 'nurse');
  const doctor = await t.login('investigator', 'doctor');
  const subjectId = (await ok<{ id: number }>(t.call('subjects.create', {}, nurse.key))).id;
  const key = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) => ({ subjectId, visitCode, formCode, repeatKey });
  const version = (visitCode: VisitCode, formCode: FormCode, repeatKey = 0) =>
    (t.backend.services.db.prepare('SELECT version FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?').pluck().get(subjectId, visitCode, formCode, repeatKey) as number | undefined) ?? 0;
  const save: Ward['save'] = (visitCode, formCode, data, who, repeatKey = 0, reason) =>
    t.call('forms.save', { ...key(visitCode, formCode, repeatKey), data, expectedVersion: version(visitCode, formCode, repeatKey), ...(reason ? { reason } : {}) }, who.key);
  return {
    t,
    nurse,
    doctor,
    subjectId,
    key,
    version,
    save,
    async screenedAndRandomised() {
      for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) {
        await ok(save('SCR', code, GOOD_FORMS[code].data, enteredBy(code) === 'investigator' ? doctor : nurse));
      }
      await ok(save('D0', 'RAND', GOOD_FORMS.RAND.data, doctor));
    },
    close() {
      try {
        t.cleanup();
      } finally {
        restoreClock();
      }
    },
  };
}
