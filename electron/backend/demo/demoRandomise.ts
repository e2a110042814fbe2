// Randomisation for demo data: draws from the sealed list like the real workflow (a list generated from the demo's
// seed first, large enough for the demo, by the demo's pharmacist, whose password wraps the list key), assigning the
// next number and recording the RAND form.
import type { User } from '../../../shared/api/calls/common';
import type { Services } from '../backend';
import { DEMO_PASSWORD, ensureUsers } from './demoStudy';

/** Rows added at a time when a caller did not prepare the list (tests that randomise a few subjects). */
const FALLBACK_ROWS = 60;

/** The demo's pharmacist (who makes and extends the demo list), once the demo users exist. */
function demoPharmacist(services: Services): User {
  const id = services.db.prepare("SELECT id FROM users WHERE username = 'pharmacist' AND role = 'pharmacist'").pluck().get() as number | undefined;
  const user = id === undefined ? null : services.users.byId(id);
  if (!user) throw new Error('demo: the demo pharmacist account is missing');
  return user;
}

/** Makes sure the sealed list has room for `subjects` more randomisations (generated from `seed`, recorded and audited). */
export async function prepareDemoList(services: Services, seed: string | number, subjects: number): Promise<void> {
  await ensureUsers(services);
  services.randomisation.ensureFreeRows(`demo-${seed}`, subjects, demoPharmacist(services), DEMO_PASSWORD);
}

/** The arms of the demo list, opened once (and again after the list grew) with the demo pharmacist's password. */
const armsByDb = new WeakMap<Services['db'], Map<string, 'MSC' | 'PLACEBO'>>();

/** Randomises a demo subject and tells the demo's pharmacy which product the kit holds (a placebo bag has no cells). */
export function randomiseForDemo(services: Services, subjectId: number, date: string, user: User): { randNo: string; kitNo: string; allocation: 'MSC' | 'PLACEBO' } {
  const free = services.db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NULL').pluck().get() as number;
  if (free === 0) services.randomisation.ensureFreeRows('demo', FALLBACK_ROWS, demoPharmacist(services), DEMO_PASSWORD);
  const { randNo, kitNo } = services.randomisation.assignNext(subjectId, date, user);
  let arms = armsByDb.get(services.db);
  if (!arms?.has(randNo)) {
    arms = services.randomisation.demoArms(demoPharmacist(services), DEMO_PASSWORD);
    armsByDb.set(services.db, arms);
  }
  const allocation = arms.get(randNo);
  if (allocation !== 'MSC' && allocation !== 'PLACEBO') throw new Error(`demo: no allocation for ${randNo}`);
  return { randNo, kitNo, allocation };
}
