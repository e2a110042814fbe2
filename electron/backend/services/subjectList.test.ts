// The whole-study subject list is rebuilt only for subjects with new audit rows; after every kind of change
// (forms, status, new subjects, another connection, a new day, an unaudited row) it equals a list built from scratch.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeVisitStatuses, listRowNextVisit, mergeListRows } from '../../../shared/protocol/subjectListCodec';
import { GOOD_FORMS } from '../../../shared/protocol/testing/fixtures';
import type { FormCode } from '../../../shared/protocol/types';
import { createBackend, type Backend } from '../backend';
import { testBackend, type TestBackend } from '../testing/fixtures';
import { SubjectService } from './subjectService';

let t: TestBackend;
const extra: Backend[] = [];
afterEach(() => {
  for (const b of extra.splice(0)) b.close();
  t?.cleanup();
});

describe('subject list cache', () => {
  it('equals a list built from scratch after every change', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    let today = '2024-02-01';
    const cached = new SubjectService(s.db, s.audit, () => today);
    const fresh = () => new SubjectService(s.db, s.audit, () => today).list();
    const save = (services: Backend['services'], subjectId: number, code: FormCode) =>
      services.forms.save({ subjectId, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data, expectedVersion: 0, markComplete: true }, user);

    const ids = [1, 2, 3].map(() => s.subjects.create(user).id);
    expect(cached.list()).toEqual(fresh());
    for (const id of ids) save(s, id, 'CONSENT');
    expect(cached.list()).toEqual(fresh());

    for (const code of ['DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG'] as FormCode[]) save(s, ids[1]!, code);
    const after = cached.list();
    expect(after).toEqual(fresh());
    expect(after.rows[1]!.visits[0]).not.toBe(after.rows[0]!.visits[0]); // SCR

    s.subjects.changeStatus({ subjectId: ids[2]!, to: 'screen_failed', date: '2026-01-10', reason: 'not_eligible', note: 'creatinine' }, user);
    expect(cached.list()).toEqual(fresh());

    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    extra.push(other);
    const fourth = other.services.subjects.create(user).id;
    save(other.services, fourth, 'CONSENT');
    save(other.services, ids[0]!, 'DEMOG');
    const list = cached.list();
    expect(list.rows).toHaveLength(4);
    expect(list).toEqual(fresh());

    today = '2024-09-01';
    expect(cached.list()).toEqual(fresh());

    // A row written without an audit row (not how the app writes) is still caught by the row count.
    t.tampered();
    s.db.prepare("INSERT INTO subjects (screening_no, site, created_at, created_by) VALUES ('KM01-S999', 'KM01', '2024-01-01T00:00:00Z', ?)").run(user.id);
    expect(cached.list()).toEqual(fresh());
    expect(cached.list('S999').rows).toHaveLength(1);
  });

  it('does not wait for a pregnancy test at screening from a man or a woman not of childbearing potential', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const subjects = new SubjectService(s.db, s.audit, () => '2026-01-20');
    const demog = {
      man: { sex: 'M', dateOfBirth: '1990-05-20', ethnicity: 'han' },
      postmenopausal: { sex: 'F', dateOfBirth: '1962-05-20', ethnicity: 'han', childbearingPotential: false, nonChildbearingReason: 'postmenopausal', breastfeeding: false },
      wocbp: GOOD_FORMS.DEMOG.data,
    };
    const ids: Record<keyof typeof demog, number> = { man: 0, postmenopausal: 0, wocbp: 0 };
    for (const who of Object.keys(demog) as (keyof typeof demog)[]) {
      ids[who] = subjects.create(user).id;
      for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB'] as FormCode[]) {
        const data = code === 'DEMOG' ? demog[who] : GOOD_FORMS[code].data;
        s.forms.save({ subjectId: ids[who], visitCode: 'SCR', formCode: code, repeatKey: 0, data, expectedVersion: 0, markComplete: true }, user);
      }
    }
    const scr = (id: number) => subjects.get(id).visits.find((v) => v.visitCode === 'SCR')!.status;
    const listed = (id: number) => decodeVisitStatuses(subjects.list().rows.find((r) => r.id === id)!.visits)[0]!.status;
    expect(scr(ids.man)).toBe('complete');
    expect(scr(ids.postmenopausal)).toBe('complete');
    expect(scr(ids.wocbp)).toBe('in_progress'); // her test is still missing
    expect([listed(ids.man), listed(ids.postmenopausal), listed(ids.wocbp)]).toEqual(['complete', 'complete', 'in_progress']);
    s.forms.save({ subjectId: ids.wocbp, visitCode: 'SCR', formCode: 'PREG', repeatKey: 0, data: GOOD_FORMS.PREG.data, expectedVersion: 0, markComplete: true }, user);
    expect(scr(ids.wocbp)).toBe('complete');
    expect(listed(ids.wocbp)).toBe('complete');
  });

  it('shows in each compact row what subjects.get shows: visit statuses and the next due visit with its window', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const today = '2026-01-20';
    const subjects = new SubjectService(s.db, s.audit, () => today);
    const [a, b] = [subjects.create(user).id, subjects.create(user).id];
    for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG'] as FormCode[]) {
      s.forms.save({ subjectId: a, visitCode: 'SCR', formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data, expectedVersion: 0, markComplete: true }, user);
    }
    s.forms.save({ subjectId: b, visitCode: 'SCR', formCode: 'CONSENT', repeatKey: 0, data: GOOD_FORMS.CONSENT.data, expectedVersion: 0, markComplete: true }, user);
    // Day 0 as randomisation records it (an audited write in the app; here straight into the table).
    s.db.prepare("INSERT INTO visits (subject_id, visit_code, visit_date) VALUES (?, 'D0', '2026-01-10')").run(a);
    const list = subjects.list();
    expect(list.today).toBe(today);
    for (const row of list.rows) {
      const full = subjects.get(row.id);
      expect(decodeVisitStatuses(row.visits)).toEqual(full.visits);
      expect(listRowNextVisit(row, list.today)).toEqual(full.nextVisit);
      expect(row).toMatchObject({ screeningNo: full.screeningNo, randNo: full.randNo, status: full.status });
    }
    expect(list.rows.map((r) => r.day0)).toEqual(['2026-01-10', null]);
    expect(subjects.get(a).nextVisit).toEqual({ visitCode: 'D7', targetDate: '2026-01-17', from: '2026-01-15', to: '2026-01-19', overdue: true });
    expect(list.rows[1]!.visits).toBe('PNNNNNNNN');
    // Only the fields the list screen shows or searches go over the wire.
    expect(Object.keys(list.rows[0]!).sort()).toEqual(['day0', 'id', 'randNo', 'screeningNo', 'status', 'visits']);
  });

  it('answers a caller holding a whole list with only the changed rows, which merged give the whole new list', async () => {
    t = await testBackend();
    const { user } = await t.login('investigator', 'doctor');
    const s = t.backend.services;
    const subjects = new SubjectService(s.db, s.audit, () => '2024-02-01');
    const save = (subjectId: number, code: FormCode) =>
      s.forms.save({ subjectId, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data, expectedVersion: 0, markComplete: true }, user);
    const ids = [1, 2, 3, 4].map(() => subjects.create(user).id);
    let held = subjects.list();
    expect(held).toMatchObject({ complete: true, count: 4 });
    /** What the list screen does: send the held version, merge the answer, check the count. */
    const refresh = (changes: number) => {
      const answer = subjects.list(undefined, held.version!);
      expect(answer.complete).toBe(false);
      expect(answer.rows).toHaveLength(changes);
      const merged = mergeListRows(held.rows, answer.rows);
      const whole = subjects.list();
      expect(merged).toEqual(whole.rows);
      expect(answer.count).toBe(merged.length);
      expect(answer.version).toEqual(whole.version);
      held = { ...answer, complete: true, rows: merged };
    };
    refresh(0);
    save(ids[1]!, 'CONSENT');
    refresh(1);
    save(ids[2]!, 'CONSENT');
    save(ids[3]!, 'CONSENT');
    subjects.changeStatus({ subjectId: ids[0]!, to: 'screen_failed', date: '2024-01-10', reason: 'consent_withdrawn' }, user);
    refresh(3);
    subjects.create(user);
    refresh(1);

    // Another connection's changes are in the next answer too.
    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    extra.push(other);
    other.services.forms.save({ subjectId: ids[1]!, visitCode: 'SCR', formCode: 'DEMOG', repeatKey: 0, data: GOOD_FORMS.DEMOG.data, expectedVersion: 0, markComplete: true }, user);
    refresh(1);

    // A version from another history (wrong hash) or ahead of the trail gets the whole list.
    expect(subjects.list(undefined, { seq: held.version!.seq, hash: 'f'.repeat(64) })).toMatchObject({ complete: true, count: 5 });
    expect(subjects.list(undefined, { seq: held.version!.seq + 1000, hash: null })).toMatchObject({ complete: true, count: 5 });
    expect(subjects.list('S002', held.version!)).toMatchObject({ complete: true, count: 1, version: null });

    // A subject written without an audit row is not in a delta: the count tells the caller to ask for the whole list.
    t.tampered();
    s.db.prepare("INSERT INTO subjects (screening_no, site, created_at, created_by) VALUES ('KM01-S999', 'KM01', '2024-01-01T00:00:00Z', ?)").run(user.id);
    const answer = subjects.list(undefined, held.version!);
    expect(mergeListRows(held.rows, answer.rows).length).not.toBe(answer.count);
  });
});
