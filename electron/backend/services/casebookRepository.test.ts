// The casebook read fast path (one JSON object per form, per-subject cache checked against a form stamp) gives the
// very same validation context as the full per-item read, and is invalidated by every write, from any connection.
import { afterEach, describe, expect, it } from 'vitest';
import { buildFormContext } from '../../../shared/protocol/casebook';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import type { CasebookForm, FormCode, FormData, VisitCode } from '../../../shared/protocol/types';
import { validateForm } from '../../../shared/protocol/validateForm';
import { createBackend, type Backend } from '../backend';
import type { Db } from '../db/connection';
import { generateDemo } from '../demo/demoStudy';
import { randomiseForDemo } from '../demo/demoRandomise';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { decodeValue } from './casebookRepository';

let t: TestBackend;
const extra: Backend[] = [];
afterEach(() => {
  for (const b of extra.splice(0)) b.close();
  t?.cleanup();
});

/** The full path as first written: every item row joined to its form, decoded one by one. */
function fullCasebook(db: Db, subjectId: number): CasebookForm[] {
  const forms = new Map<number, CasebookForm>();
  const rows = db
    .prepare(
      `SELECT f.id, f.visit_code, f.form_code, f.repeat_key, v.item_code, v.value
         FROM form_instances f LEFT JOIN item_values v ON v.form_id = f.id WHERE f.subject_id = ? ORDER BY f.id`,
    )
    .all(subjectId) as { id: number; visit_code: VisitCode; form_code: FormCode; repeat_key: number; item_code: string | null; value: string | null }[];
  for (const row of rows) {
    let form = forms.get(row.id);
    if (!form) forms.set(row.id, (form = { visitCode: row.visit_code, formCode: row.form_code, repeatKey: row.repeat_key, data: {} }));
    if (row.item_code !== null && row.value !== null) form.data[row.item_code] = decodeValue(row.value);
  }
  return [...forms.values()];
}

const plain = (forms: readonly CasebookForm[]) => JSON.parse(JSON.stringify(forms)) as CasebookForm[];

describe('casebook fast path', () => {
  it('gives the same forms, contexts and validation results as the full read on a demo database', async () => {
    t = await testBackend();
    const s = t.backend.services;
    await generateDemo(s, { subjects: 12, seed: 11, today: '2013-09-30' }, (id, date, user) => randomiseForDemo(s, id, date, user));
    const subjects = s.db.prepare('SELECT id FROM subjects ORDER BY id').pluck().all() as number[];
    let compared = 0;
    for (const subjectId of subjects) {
      const full = fullCasebook(s.db, subjectId);
      expect(plain(s.forms.repo.casebook(subjectId))).toStrictEqual(full);
      expect(plain(s.forms.repo.cachedCasebook(subjectId))).toStrictEqual(full);
      for (const form of full) {
        const others = (book: readonly CasebookForm[]) =>
          book.filter((f) => !(f.visitCode === form.visitCode && f.formCode === form.formCode && f.repeatKey === form.repeatKey));
        const fast = buildFormContext(others(s.forms.repo.cachedCasebook(subjectId)), form.visitCode);
        const slow = buildFormContext(others(full), form.visitCode);
        expect(plain([fast as never])).toStrictEqual(plain([slow as never]));
        expect(validateForm(form.formCode, form.data, fast)).toStrictEqual(validateForm(form.formCode, form.data, slow));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('sees every save: through the service, from another connection, by a save listener, and not a rejected one', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const subject = s.subjects.create(user);
    const versions = new Map<string, number>();
    const save = (services: Backend['services'], formCode: FormCode, data: FormData, visitCode: VisitCode = GOOD_FORMS[formCode].visit) => {
      const k = `${visitCode}/${formCode}`;
      const out = services.forms.save(
        { subjectId: subject.id, visitCode, formCode, repeatKey: 0, data, expectedVersion: versions.get(k) ?? 0, markComplete: true, reason: 'correction' },
        user,
      );
      versions.set(k, out.version);
    };
    const agrees = () => expect(plain(s.forms.repo.cachedCasebook(subject.id))).toStrictEqual(fullCasebook(s.db, subject.id));
    for (const code of ['CONSENT', 'DEMOG', 'VITALS', 'LAB'] as FormCode[]) {
      save(s, code, GOOD_FORMS[code].data);
      agrees();
    }
    // Cached, then changed by this connection: the next read has the new value.
    save(s, 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 91 });
    expect(s.forms.repo.cachedCasebook(subject.id).find((f) => f.formCode === 'LAB')?.data.creatinine).toBe(91);
    agrees();

    // Another process/connection on the same file changes the form: the stamp differs, the cache reloads.
    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    extra.push(other);
    save(other.services, 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 93 });
    expect(s.forms.repo.cachedCasebook(subject.id).find((f) => f.formCode === 'LAB')?.data.creatinine).toBe(93);
    agrees();

    // A rejected save (out of range) leaves the cache as the database is.
    expect(() => save(s, 'LAB', { ...GOOD_FORMS.LAB.data, creatinine: 5000 })).toThrow();
    agrees();

    // A save listener writing in the same transaction (infusion reaction → AE form) is seen.
    for (const code of ['MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'PREG', 'ELIG', 'RAND'] as FormCode[]) save(s, code, GOOD_FORMS[code].data);
    save(s, 'VITALS', { ...GOOD_FORMS.VITALS.data, assessmentDate: '2024-01-20' }, 'D0');
    agrees();
    save(s, 'INFUSION', { ...GOOD_FORMS.INFUSION.data, reaction: true, reactionGrade: '2', reactionDescription: '寒战' });
    expect(s.forms.repo.cachedCasebook(subject.id).some((f) => f.formCode === 'AE')).toBe(true);
    agrees();

    // A cleared item disappears from the cached form, as it does from the table.
    save(s, 'VITALS', { ...GOOD_FORMS.VITALS.data, spo2: null });
    expect(s.forms.repo.cachedCasebook(subject.id).find((f) => f.formCode === 'VITALS' && f.visitCode === 'SCR')?.data).not.toHaveProperty('spo2');
    agrees();
  });

  it('does not patch the cache after a save when another connection wrote between the read and the save', async () => {
    t = await testBackend();
    const { user } = await t.login('data_entry', 'nurse');
    const s = t.backend.services;
    const subject = s.subjects.create(user);
    const base = { subjectId: subject.id, visitCode: 'SCR' as VisitCode, repeatKey: 0, markComplete: true };
    s.forms.save({ ...base, formCode: 'CONSENT', data: GOOD_FORMS.CONSENT.data, expectedVersion: 0 }, user);
    const stampRead = s.forms.repo.stamp(subject.id);
    s.forms.repo.cachedCasebook(subject.id);
    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    extra.push(other);
    other.services.forms.save({ ...base, formCode: 'DEMOG', data: GOOD_FORMS.DEMOG.data, expectedVersion: 0 }, user);
    // The save of VITALS starts after that write (its stamp at the start differs from what the cache read).
    const stampBefore = s.forms.repo.stamp(subject.id);
    expect(stampBefore).not.toBe(stampRead);
    other.services.forms.save({ ...base, formCode: 'VITALS', data: GOOD_FORMS.VITALS.data, expectedVersion: 0 }, user);
    s.forms.repo.afterSave(subject.id, { ...base, formCode: 'VITALS' }, GOOD_FORMS.VITALS.data, stampBefore, s.forms.repo.stamp(subject.id));
    expect(plain(s.forms.repo.cachedCasebook(subject.id))).toStrictEqual(fullCasebook(s.db, subject.id));
  });

  it('hands out frozen forms, so a caller cannot change what the next validation sees', async () => {
    t = await testBackend();
    const { user } = await t.login('data_entry', 'nurse');
    const s = t.backend.services;
    const subject = s.subjects.create(user);
    s.forms.save({ subjectId: subject.id, visitCode: 'SCR', formCode: 'CONSENT', repeatKey: 0, data: GOOD_FORMS.CONSENT.data, expectedVersion: 0, markComplete: true }, user);
    const book = s.forms.repo.cachedCasebook(subject.id);
    expect(Object.isFrozen(book) && Object.isFrozen(book[0]) && Object.isFrozen(book[0]!.data)).toBe(true);
    expect(() => {
      (book[0]!.data as Record<string, unknown>).consentDate = '2000-01-01';
    }).toThrow();
  });
});
