// A blinded study in progress, built through the API for the blinding tests: a sealed list, three or more subjects
// randomised (until both arms are among them), one emergency-unblinded by the investigator, an INFUSION saved by kit,
// queries, SDV, a signature, a backup and a sponsor export made after randomisation, plus the shared call-args fixture;
// and copies of it with the allocations flipped, for non-interference checks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../../shared/api/calls/common';
import type { AllocationRow } from '../../../shared/api/calls/randomisation';
import type { FormCode } from '../../../shared/protocol/types';
import { DAY0, GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { createBackend, type Backend } from '../backend';
import { connectionKey, openKeyed } from '../db/encryption';
import { readSetting, writeSetting } from '../db/settings';
import { generateKeyPair } from '../export/pgpKeys';
import { AuditTrail } from '../audit/auditTrail';
import { AllocationVault } from '../gcp/allocationVault';
import type { ListEntry } from '../gcp/permutedBlocks';
import { ok } from './apiResults';
import { TEST_PASSWORD, type TestBackend } from './fixtures';
import { makeCallArgsFixture, type CallArgsFixture } from './validCallArgs';

const SCREENING: FormCode[] = ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG'];
/** The list's seed: it reproduces every allocation, so no blinded answer may carry it. */
export const BLINDED_STUDY_SEED = 'blinding-sweep-seed-2026';

export interface BlindedStudy {
  /** Session keys per role; the admin is not the one who generated the list. */
  keys: Record<Role, string>;
  usernames: Record<Role, string>;
  /** The randomised subjects with their (secret) allocation, from the pharmacist's table. */
  randomised: { subjectId: number; randNo: string; kitNo: string; allocation: AllocationRow['allocation'] }[];
  unblindedSubjectId: number;
  /** What the one sanctioned reveal returned to the investigator. */
  revealed: AllocationRow['allocation'];
  sponsor: { publicKey: string; privateKey: string; fingerprint: string };
  exportPath: string;
  fixture: CallArgsFixture;
}

export async function buildBlindedStudy(tb: TestBackend): Promise<BlindedStudy> {
  const usernames: Record<Role, string> = { admin: 'sweep.admin', data_entry: 'sweep.nurse', investigator: 'sweep.doctor', monitor: 'sweep.monitor', pharmacist: 'sweep.pharma' };
  const keys = {} as Record<Role, string>;
  for (const role of Object.keys(usernames) as Role[]) keys[role] = (await tb.login(role, usernames[role])).key;
  // The unblinded pharmacist generates the list from the seed.
  await ok(tb.call('randomisation.generateList', { seed: BLINDED_STUDY_SEED, size: 12, password: TEST_PASSWORD }, keys.pharmacist));
  // The investigator holds a key for emergency unblinding (granted by the pharmacist, both present).
  await ok(tb.call('randomisation.grantAccess', { password: TEST_PASSWORD, granteeUsername: usernames.investigator, granteePassword: TEST_PASSWORD }, keys.pharmacist));

  const save = (subjectId: number, code: FormCode, data: Record<string, unknown> = GOOD_FORMS[code].data, key = keys[enteredBy(code)]) =>
    ok(tb.call('forms.save', { subjectId, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data, expectedVersion: 0, markComplete: true }, key));
  const ids: number[] = [];
  let table: AllocationRow[] = [];
  const arms = () => new Set(table.filter((r) => r.subjectId !== null).map((r) => r.allocation)).size;
  // At least three subjects, more until both arms are among them (a block of 6 may start with three alike).
  while (ids.length < 3 || arms() < 2) {
    if (ids.length >= 6) throw new Error('the blinded study needs both arms among the randomised subjects');
    const s = await ok<{ id: number }>(tb.call('subjects.create', {}, keys.data_entry));
    for (const code of SCREENING) await save(s.id, code);
    await save(s.id, 'ELIG', GOOD_FORMS.ELIG.data, keys.investigator);
    await ok(tb.call('randomisation.randomise', { subjectId: s.id, date: DAY0, password: TEST_PASSWORD, confirmIrreversible: true }, keys.investigator));
    ids.push(s.id);
    table = await ok<AllocationRow[]>(tb.call('randomisation.allocations', { password: TEST_PASSWORD }, keys.pharmacist));
  }
  const randomised = ids.map((subjectId) => {
    const row = table.find((r) => r.subjectId === subjectId)!;
    return { subjectId, randNo: row.randNo, kitNo: row.kitNo, allocation: row.allocation };
  });

  // Day 0 data carrying the kit number: the pharmacist's preparation and release of the bag (its product, lot, cell
  // count and viability are the allocation in other words), the ward's infusion, a query, SDV and a signature.
  const first = randomised[0]!;
  const msc = first.allocation === 'MSC';
  await save(first.subjectId, 'PHARM', {
    ...GOOD_FORMS.PHARM.data,
    kitNo: first.kitNo,
    productType: first.allocation,
    productLot: msc ? 'UCMSC-2401' : 'PLACEBO-2401',
    cellsInBag: msc ? 100 : 0,
    viabilityPercent: msc ? 92.5 : 'not_applicable',
  });
  await save(first.subjectId, 'INFUSION', { ...GOOD_FORMS.INFUSION.data, kitNo: first.kitNo });
  const infusion = { subjectId: first.subjectId, visitCode: 'D0', formCode: 'INFUSION', repeatKey: 0 };
  await ok(tb.call('queries.raise', { ...infusion, itemCode: 'volumeMl', text: '请核对输注体积' }, keys.monitor));
  const vitals = { subjectId: first.subjectId, visitCode: 'SCR', formCode: 'VITALS', repeatKey: 0 };
  await ok(tb.call('lifecycle.verifyForm', { formKey: vitals }, keys.monitor));
  await ok(tb.call('lifecycle.sign', { scope: 'form', formKey: vitals, password: TEST_PASSWORD, meaning: 'accurate_complete' }, keys.investigator));

  // The one sanctioned reveal to a blinded role: the investigator's emergency unblinding of the second subject.
  const unblindedSubjectId = randomised[1]!.subjectId;
  const reveal = await ok<{ allocation: AllocationRow['allocation'] }>(
    tb.call('unblinding.emergency', { subjectId: unblindedSubjectId, password: TEST_PASSWORD, reason: '严重不良事件，需要知道分组以便救治' }, keys.investigator),
  );

  mkdirSync(join(tb.dir, 'backups'));
  await ok(tb.call('backup.setFolder', { folder: join(tb.dir, 'backups'), intervalHours: 24 }, keys.admin));
  await ok(tb.call('backup.now', {}, keys.admin));
  const sponsor = await generateKeyPair('Sponsor DM', 'dm@sponsor.example.org');
  await ok(tb.call('export.installSponsorKey', { armoredKey: sponsor.publicKey }, keys.admin));
  const usb = join(tb.dir, 'usb');
  mkdirSync(usb);
  const bundle = await ok<{ path: string }>(tb.call('export.create', { scope: 'full', outDir: usb }, keys.monitor));

  const fixture = await makeCallArgsFixture(tb, keys, 'sweep');
  return { keys, usernames, randomised, unblindedSubjectId, revealed: reveal.allocation, sponsor, exportPath: bundle.path, fixture };
}

/** A second back end over a snapshot of the study's database, with its own files folder and everyone logged in. */
export interface StudyCopy {
  backend: Backend;
  dir: string;
  keys: Record<Role, string>;
}

/**
 * Opens a consistent snapshot (VACUUM INTO) of the study's database; with flip, every allocation is swapped (MSC ⇄
 * PLACEBO) and the list record's digest re-recorded, as if the list had been made that way: the same study with the
 * secret changed and nothing else.
 */
export async function openStudyCopy(tb: TestBackend, study: BlindedStudy, name: string, options: { flip: boolean }): Promise<StudyCopy> {
  const dbFile = join(tb.dir, `${name}.db`);
  tb.backend.services.db.exec(`VACUUM INTO '${dbFile}'`);
  if (options.flip) {
    // The vault's payload re-sealed under the same list key with every arm swapped (the pharmacist's key opens it).
    const db = openKeyed(dbFile, connectionKey(tb.backend.services.db));
    const vault = new AllocationVault(db, new AuditTrail(db));
    const pharmacistId = db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(study.usernames.pharmacist) as number;
    const listKey = vault.unlock({ id: pharmacistId, username: study.usernames.pharmacist, displayName: '', role: 'pharmacist' }, TEST_PASSWORD, ['pharmacist']);
    const entries: ListEntry[] = vault.read(listKey).entries.map((e) => ({ ...e, allocation: e.allocation === 'MSC' ? 'PLACEBO' : 'MSC' }));
    const commit = vault.write(listKey, { entries }, null);
    const record = JSON.parse(readSetting(db, 'randomisation.list')!) as { listCommitment: string };
    writeSetting(db, 'randomisation.list', JSON.stringify({ ...record, listCommitment: commit }));
    db.close();
  }
  const backend = createBackend({ dbFile, dbKey: connectionKey(tb.backend.services.db), transport: 'browser', appVersion: 'test' });
  const dir = join(tb.dir, `${name}-files`);
  mkdirSync(dir);
  const keys = {} as Record<Role, string>;
  for (const [role, username] of Object.entries(study.usernames) as [Role, string][]) {
    keys[role] = `${name}:${username}`;
    const r = await backend.dispatch('auth.login', { username, password: TEST_PASSWORD }, keys[role]);
    if (!r.ok) throw new Error(r.error.message.en);
  }
  return { backend, dir, keys };
}
