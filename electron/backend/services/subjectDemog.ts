// Sex and childbearing potential from each subject's DEMOG form: what decides whether a pregnancy test is
// expected at screening (shared/protocol/visitStatus.ts formExpected), read straight from the item values.
import type { SubjectDemog } from '../../../shared/protocol/visitStatus';
import type { Db } from '../db/connection';
import { decodeValue } from './casebookRepository';

/** For the given subjects (all when `subjectIds` is undefined); a subject without DEMOG values is absent. */
export function demogBySubject(db: Db, subjectIds?: readonly number[]): Map<number, SubjectDemog> {
  const only = subjectIds ? ` AND f.subject_id IN (${subjectIds.map(() => '?').join(',')})` : '';
  const out = new Map<number, SubjectDemog>();
  if (subjectIds?.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT f.subject_id, v.item_code, v.value FROM form_instances f JOIN item_values v ON v.form_id = f.id
        WHERE f.visit_code = 'SCR' AND f.form_code = 'DEMOG' AND v.item_code IN ('sex', 'childbearingPotential')${only}`,
    )
    .raw()
    .iterate(...(subjectIds ?? [])) as IterableIterator<[number, string, string]>;
  for (const [subjectId, item, value] of rows) {
    const demog = out.get(subjectId) ?? {};
    const decoded = decodeValue(value);
    if (item === 'sex' && typeof decoded === 'string') demog.sex = decoded;
    if (item === 'childbearingPotential' && typeof decoded === 'boolean') demog.childbearingPotential = decoded;
    out.set(subjectId, demog);
  }
  return out;
}
