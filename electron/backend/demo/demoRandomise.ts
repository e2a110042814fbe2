// Randomisation for demo data: draws from the sealed list like the real workflow (a list generated from the demo's
// seed first, large enough for the demo), assigning the next number and recording the RAND form.
import type { User } from '../../../shared/api/calls/common';
import type { Services } from '../backend';

/** Rows added at a time when a caller did not prepare the list (tests that randomise a few subjects). */
const FALLBACK_ROWS = 60;

/** Who generates demo lists in the audit trail (no user id): the demo stands in for the unblinded pharmacist. */
const DEMO_ACTOR: User = { id: 0, username: 'demo', displayName: 'demo', role: 'pharmacist' };

/** Makes sure the sealed list has room for `subjects` more randomisations (generated from `seed`, recorded and audited). */
export function prepareDemoList(services: Services, seed: string | number, subjects: number): void {
  services.randomisation.ensureFreeRows(`demo-${seed}`, subjects, DEMO_ACTOR);
}

export function randomiseForDemo(services: Services, subjectId: number, date: string, user: User): { randNo: string; kitNo: string } {
  const free = services.db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NULL').pluck().get() as number;
  if (free === 0) services.randomisation.ensureFreeRows('demo', FALLBACK_ROWS, DEMO_ACTOR);
  const { randNo, kitNo } = services.randomisation.assignNext(subjectId, date, user);
  return { randNo, kitNo };
}
