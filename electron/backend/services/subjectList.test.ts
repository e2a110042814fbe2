// The whole-study subject list is rebuilt only for subjects with new audit rows; after every kind of change
// (forms, status, new subjects, another connection, a new day, an unaudited row) it equals a list built from scratch.
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(after[1]!.visits.find((v) => v.visitCode === 'SCR')?.status).not.toBe(after[0]!.visits.find((v) => v.visitCode === 'SCR')?.status);

    s.subjects.setStatus(ids[2]!, 'screen_failed', user, 'creatinine');
    expect(cached.list()).toEqual(fresh());

    const other = createBackend({ dbFile: t.dbFile, transport: 'browser', appVersion: 'test' });
    extra.push(other);
    const fourth = other.services.subjects.create(user).id;
    save(other.services, fourth, 'CONSENT');
    save(other.services, ids[0]!, 'DEMOG');
    const list = cached.list();
    expect(list).toHaveLength(4);
    expect(list).toEqual(fresh());

    today = '2024-09-01';
    expect(cached.list()).toEqual(fresh());

    // A row written without an audit row (not how the app writes) is still caught by the row count.
    s.db.prepare("INSERT INTO subjects (screening_no, site, created_at, created_by) VALUES ('KM01-S999', 'KM01', '2024-01-01T00:00:00Z', ?)").run(user.id);
    expect(cached.list()).toEqual(fresh());
    expect(cached.list('S999')).toHaveLength(1);
  });
});
