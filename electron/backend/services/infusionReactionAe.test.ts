// An infusion reaction opens one adverse event, pre-filled and audited, and re-saving does not duplicate it.
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import type { FormCode } from '../../../shared/protocol/types';
import { verifyAuditChain } from '../audit/auditTrail';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { INFUSION_REACTION_TERM } from './infusionReactionAe';

let t: TestBackend;
afterEach(() => t?.cleanup());

describe('infusion reaction → adverse event', () => {
  it('opens one in-progress AE with term, onset and grade, audited with its reason', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const subject = s.subjects.create(user);
    // Write the casebook straight through the service (the fixture is a complete eligible subject).
    const save = (formCode: FormCode, data: Record<string, unknown>, reason?: string, expectedVersion = 0) =>
      s.forms.save({ subjectId: subject.id, visitCode: GOOD_FORMS[formCode].visit, formCode, repeatKey: 0, data: data as never, expectedVersion, markComplete: true, reason }, user);
    for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG', 'RAND'] as FormCode[]) {
      save(code, GOOD_FORMS[code].data);
    }
    s.forms.save({ subjectId: subject.id, visitCode: 'D0', formCode: 'VITALS', repeatKey: 0, data: { ...GOOD_FORMS.VITALS.data, assessmentDate: '2024-01-20' } as never, expectedVersion: 0, markComplete: true }, user);
    const reaction = { ...GOOD_FORMS.INFUSION.data, reaction: true, reactionGrade: '2', reactionDescription: '寒战、发热 38.4 °C' };
    save('INFUSION', reaction);
    const ae = s.forms.repo.casebook(subject.id).filter((f) => f.formCode === 'AE');
    expect(ae).toHaveLength(1);
    expect(ae[0]).toMatchObject({ visitCode: 'LOG', repeatKey: 1, data: { term: INFUSION_REACTION_TERM, onsetDate: '2024-01-20', grade: '2', sourceForm: 'D0/INFUSION' } });
    const status = s.db.prepare("SELECT status FROM form_instances WHERE form_code = 'AE'").pluck().get();
    expect(status).toBe('in_progress');
    // Its status is in the trail like every new form's (audit verify replays it rather than assuming a default).
    expect(s.db.prepare("SELECT old_value, new_value FROM audit_log WHERE form_code = 'AE' AND action = 'form.status'").all()).toEqual([{ old_value: null, new_value: 'in_progress' }]);
    const reasons = s.db.prepare("SELECT DISTINCT reason FROM audit_log WHERE form_code = 'AE'").pluck().all();
    expect(reasons).toEqual(['由 D0/INFUSION 的输注反应自动建立 / opened automatically from the infusion reaction on D0/INFUSION']);
    // A later correction of the infusion form does not open a second AE.
    save('INFUSION', { ...reaction, reactionDescription: '寒战、发热 38.5 °C' }, '更正体温', 1);
    expect(s.forms.repo.casebook(subject.id).filter((f) => f.formCode === 'AE')).toHaveLength(1);
    expect(verifyAuditChain(s.db).ok).toBe(true);

    // Issue 16: the first person to complete the system-opened AE gives no reason for change (nobody's entry is
    // being changed); after that, a change needs one as always.
    const aeKey = { subjectId: subject.id, visitCode: 'LOG' as const, formCode: 'AE' as const, repeatKey: 1 };
    expect(s.forms.get(aeKey, user).openedBySystem).toBe(true);
    const completed = { ...ae[0]!.data, ongoing: false, endDate: '2024-01-21', serious: false, relationInfusion: 'probable', relationCyc: 'unlikely', actionTaken: 'none', outcome: 'recovered' };
    expect(s.forms.save({ ...aeKey, data: completed as never, expectedVersion: 1, markComplete: true }, user)).toMatchObject({ status: 'complete', version: 2 });
    expect(s.forms.get(aeKey, user).openedBySystem).toBeUndefined();
    expect(() => s.forms.save({ ...aeKey, data: { ...completed, grade: '1' } as never, expectedVersion: 2, markComplete: true }, user)).toThrow(/reason for change/);
  });

  it('opens nothing when there was no reaction', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const subject = s.subjects.create(user);
    for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG', 'RAND', 'INFUSION'] as FormCode[]) {
      s.forms.save({ subjectId: subject.id, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data as never, expectedVersion: 0, markComplete: true }, user);
    }
    expect(s.forms.repo.casebook(subject.id).filter((f) => f.formCode === 'AE')).toHaveLength(0);
  });
});
