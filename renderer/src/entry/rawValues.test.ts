// What the form screen's inputs hold and what a save sends (issue 14): a missing-value reason rides beside its field;
// the system items of RESPONSE are neither inputs nor sent (the back end writes them and ignores a client's).
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../../shared/protocol/study';
import { savePayload, toRaw } from './rawValues';

describe('toRaw', () => {
  it('puts a stored reason beside its field, an empty one beside every field that may have one, nothing for others', () => {
    const raw = toRaw(FORMS.LAB.fields, { collectionDate: '2024-01-05', creatinine: 80, urineRbc__missing: 'not_done' });
    expect(raw).toMatchObject({ creatinine: '80', urineRbc: '', urineRbc__missing: 'not_done', creatinine__missing: '' });
    expect(raw.collectionDate__missing).toBeUndefined(); // the date of a LAB has no reasons
  });

  it('leaves out the RESPONSE of record: no input holds it', () => {
    const raw = toRaw(FORMS.RESPONSE.fields, { assessmentDate: '2024-07-20', confirmed: true, recordCategory: 'complete', recordSteps: '[]', recordWithdrawal: 'x' });
    expect(Object.keys(raw).sort()).toEqual(['assessmentDate', 'comment', 'confirmed']);
  });
});

describe('savePayload', () => {
  it('never sends a system item, even when the values hold one (the cleaned values of validateForm pass them through)', () => {
    const sent = savePayload(FORMS.RESPONSE.fields, {
      assessmentDate: '2024-07-20',
      confirmed: true,
      comment: null,
      recordCategory: 'complete',
      recordInputs: '{}',
      recordRulesVersion: null,
      recordWithdrawal: undefined,
    });
    expect(sent).toEqual({ assessmentDate: '2024-07-20', confirmed: true, comment: null });
  });

  it('sends a reason item like any value, and drops undefined ones', () => {
    expect(savePayload(FORMS.LAB.fields, { urineRbc: null, urineRbc__missing: 'not_done', wbc: undefined })).toEqual({ urineRbc: null, urineRbc__missing: 'not_done' });
  });
});
