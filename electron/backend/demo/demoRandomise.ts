// Randomisation for demo data: assigns the next randomisation and kit number and records the RAND form.
import type { User } from '../../../shared/api/calls/common';
import type { Services } from '../backend';

export function randomiseForDemo(services: Services, subjectId: number, date: string, user: User): { randNo: string; kitNo: string } {
  const n = (services.db.prepare('SELECT COUNT(*) FROM subjects WHERE rand_no IS NOT NULL').pluck().get() as number) + 1;
  const randNo = `R${String(n).padStart(3, '0')}`;
  const kitNo = `K-${1000 + n}`;
  services.db.prepare("UPDATE subjects SET rand_no = ?, kit_no = ?, status = 'randomised' WHERE id = ?").run(randNo, kitNo, subjectId);
  services.db
    .prepare("INSERT INTO visits (subject_id, visit_code, visit_date) VALUES (?, 'D0', ?) ON CONFLICT DO UPDATE SET visit_date = excluded.visit_date")
    .run(subjectId, date);
  services.forms.save(
    { subjectId, visitCode: 'D0', formCode: 'RAND', repeatKey: 0, data: { randDate: date, randNo, kitNo }, expectedVersion: 0, markComplete: true },
    user,
  );
  return { randNo, kitNo };
}
