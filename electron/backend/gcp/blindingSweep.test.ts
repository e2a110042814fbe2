// Blinding proof over EVERY API call (issue 5, DESIGN promise 4): on a real SQLite study with both arms randomised, one
// subject emergency-unblinded, queries, SDV, a signature, a backup and an export, each blinded role (admin, data_entry,
// investigator, monitor) calls every call in CALL_NAMES with the shared valid-args table, the read calls once per
// subject or per saved form. Two checks: (1) no answer carries an arm word, the seed or the list/seed digests;
// (2) non-interference: the same sweep on a copy of the database whose allocations are flipped (every MSC row becomes
// PLACEBO and back, digest re-recorded) answers every blinded role identically, so nothing derived from the
// allocation (arm counts, digests, per-arm anything) reaches them. A call added to the contract without a PLAN row fails.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../../shared/api/calls/common';
import type { AllocationRow, RandomisationStatus } from '../../../shared/api/calls/randomisation';
import { CALL_NAMES, CONTRACT, type CallName } from '../../../shared/api/contract';
import type { ApiResult } from '../../../shared/api/result';
import { ok } from '../testing/apiResults';
import { BLINDED_STUDY_SEED, buildBlindedStudy, openStudyCopy, type BlindedStudy, type StudyCopy as World } from '../testing/blindedStudy';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';
import { validCallArgs } from '../testing/validCallArgs';

const BLINDED: readonly Role[] = ['admin', 'data_entry', 'investigator', 'monitor'];

/**
 * How the sweep calls each call. once: with the table's args. perSubject / perForm: additionally for every subject /
 * every saved form instance (RAND, INFUSION, UNBLIND included). last: after every other call, because it ends the
 * session the rest of the sweep runs on. Nothing is left out: the state-changing calls run too (saves, queries, SDV,
 * lock, user admin, backup, export), with args that keep the sweep going; randomisation.generateList/importList are
 * refused (list sealed) and unblinding.emergency meets a wrong password, so the sanctioned reveal (the investigator's
 * own emergency unblinding, which PROTOCOL.md "UNBLIND" allows once) happens only in the build, never in the sweep.
 */
type Plan = 'once' | 'perSubject' | 'perForm' | 'last';
const PLAN: Record<CallName, Plan> = {
  'app.info': 'once',
  'auth.setupAdmin': 'once',
  'auth.login': 'once',
  'auth.logout': 'last',
  'auth.me': 'once',
  'subjects.create': 'once',
  'subjects.changeStatus': 'once',
  'subjects.list': 'once',
  'subjects.get': 'perSubject',
  'print.casebook': 'perSubject',
  'forms.get': 'perForm',
  'forms.save': 'once',
  'drafts.save': 'once',
  'drafts.discard': 'once',
  'clinical.casebook': 'perSubject',
  'export.status': 'once',
  'export.installSponsorKey': 'once',
  'export.sitePublicKey': 'once',
  'export.create': 'once',
  'export.progress': 'once',
  'queries.list': 'once',
  'queries.counts': 'once',
  'queries.forForm': 'perForm',
  'queries.raise': 'once',
  'queries.answer': 'once',
  'queries.close': 'once',
  'queries.reopen': 'once',
  'audit.forForm': 'perForm',
  'users.list': 'once',
  'users.create': 'once',
  'users.update': 'once',
  'users.deactivate': 'once',
  'users.reactivate': 'once',
  'users.unlock': 'once',
  'users.resetPassword': 'once',
  'users.changeOwnPassword': 'once',
  'lifecycle.forForm': 'perForm',
  'lifecycle.verifyItems': 'once',
  'lifecycle.unverifyItems': 'once',
  'lifecycle.verifyForm': 'once',
  'lifecycle.sign': 'once',
  'lifecycle.lock': 'once',
  'lifecycle.unlock': 'once',
  'randomisation.status': 'once',
  'randomisation.generateList': 'once',
  'randomisation.importList': 'once',
  'randomisation.randomise': 'once',
  'randomisation.allocations': 'once',
  'randomisation.access': 'once',
  'randomisation.grantAccess': 'once',
  'unblinding.emergency': 'once',
  'backup.status': 'once',
  'backup.setFolder': 'once',
  'backup.now': 'once',
  'safety.saes': 'once',
};

/** Words that name an arm, in either language, and the stored codes. */
const ARM_WORDS = /\b(MSC|PLACEBO)\b|placebo|hUC|安慰剂|间充质|干细胞/i;
/** Every answer of the sweep is taken at this instant in both worlds, so timestamps cannot differ between them. */
const FROZEN_NOW = new Date('2026-05-04T02:30:00.000Z');

interface Reply {
  role: Role;
  name: CallName;
  args: unknown;
  reply: ApiResult<unknown>;
}

let tb: TestBackend;
let study: BlindedStudy;
let worldA: World;
let worldB: World;
let repliesA: Reply[];
let repliesB: Reply[];
let secrets: string[];

/** Every blinded role calls every call, in contract order (the 'last' ones at the end), at the frozen instant. */
async function sweep(world: World): Promise<Reply[]> {
  const db = world.backend.services.db;
  const subjectIds = db.prepare('SELECT id FROM subjects ORDER BY id').pluck().all() as number[];
  const formKeys = (db.prepare('SELECT subject_id AS subjectId, visit_code AS visitCode, form_code AS formCode, repeat_key AS repeatKey FROM form_instances ORDER BY id').all()) as object[];
  const args = validCallArgs({ ...study.fixture, dir: world.dir });
  const order = [...CALL_NAMES.filter((n) => PLAN[n] !== 'last'), ...CALL_NAMES.filter((n) => PLAN[n] === 'last')];
  const out: Reply[] = [];
  vi.useFakeTimers({ toFake: ['Date'], now: FROZEN_NOW });
  try {
    for (const role of BLINDED) {
      for (const name of order) {
        const calls: unknown[] = [args(name)];
        if (PLAN[name] === 'perSubject') calls.push(...subjectIds.map((subjectId) => ({ subjectId })));
        if (PLAN[name] === 'perForm') calls.push(...formKeys);
        for (const a of calls) out.push({ role, name, args: a, reply: await world.backend.dispatch(name, a, world.keys[role]) });
      }
    }
  } finally {
    vi.useRealTimers();
  }
  return out;
}

beforeAll(async () => {
  tb = await testBackend();
  study = await buildBlindedStudy(tb);
  const pharmacist = await ok<RandomisationStatus>(tb.call('randomisation.status', {}, study.keys.pharmacist));
  secrets = [BLINDED_STUDY_SEED, createHash('sha256').update(BLINDED_STUDY_SEED).digest('hex'), pharmacist.listCommitment!];
  worldA = await openStudyCopy(tb, study, 'world-a', { flip: false });
  worldB = await openStudyCopy(tb, study, 'world-b', { flip: true });
  repliesA = await sweep(worldA);
  repliesB = await sweep(worldB);
}, 240_000);

afterAll(() => {
  worldA?.backend.close();
  worldB?.backend.close();
  tb?.cleanup();
});

const label = (r: Reply) => `${r.role} ${r.name} ${JSON.stringify(r.args).slice(0, 120)}`;

describe('blinding sweep over every call', () => {
  it('has a plan row for every call in the contract (and none for a call that does not exist); every table row is schema-valid', () => {
    expect(CALL_NAMES.filter((n) => !(n in PLAN))).toEqual([]);
    expect(Object.keys(PLAN).filter((n) => !(CALL_NAMES as string[]).includes(n))).toEqual([]);
    const args = validCallArgs(study.fixture);
    const invalid = CALL_NAMES.filter((n) => !CONTRACT[n].args.safeParse(args(n)).success);
    expect(invalid).toEqual([]);
  });

  it('the study really holds the secret: both arms randomised, one reveal to the investigator, the flip changed what the pharmacist sees', async () => {
    expect(new Set(study.randomised.map((r) => r.allocation))).toEqual(new Set(['MSC', 'PLACEBO']));
    expect(study.revealed).toBe(study.randomised[1]!.allocation);
    const tableA = await ok<AllocationRow[]>(worldA.backend.dispatch('randomisation.allocations', { password: TEST_PASSWORD }, worldA.keys.pharmacist));
    const tableB = await ok<AllocationRow[]>(worldB.backend.dispatch('randomisation.allocations', { password: TEST_PASSWORD }, worldB.keys.pharmacist));
    expect(tableA.map((r) => r.allocation)).toEqual(tableB.map((r) => (r.allocation === 'MSC' ? 'PLACEBO' : 'MSC')));
    const statusA = await ok<RandomisationStatus>(worldA.backend.dispatch('randomisation.status', {}, worldA.keys.pharmacist));
    const statusB = await ok<RandomisationStatus>(worldB.backend.dispatch('randomisation.status', {}, worldB.keys.pharmacist));
    expect(statusA.listCommitment).not.toBe(statusB.listCommitment);
  });

  it('the sweep reached real data: every call answered each blinded role, most reads succeeded, the UNBLIND, RAND and PHARM forms were read', () => {
    for (const role of BLINDED) {
      const mine = repliesA.filter((r) => r.role === role);
      expect(new Set(mine.map((r) => r.name))).toEqual(new Set(CALL_NAMES));
      const read = mine.filter((r) => r.name === 'forms.get' && r.reply.ok).map((r) => (r.args as { formCode: string }).formCode);
      expect(read).toEqual(expect.arrayContaining(['RAND', 'PHARM', 'INFUSION', 'UNBLIND']));
    }
    expect(repliesA.filter((r) => r.reply.ok).length).toBeGreaterThan(repliesA.length / 2);
  });

  it.each(BLINDED)('%s: no answer names an arm or carries the seed or the list/seed digests', (role) => {
    const leaks = repliesA
      .filter((r) => r.role === role)
      .filter((r) => {
        // An armored OpenPGP key is random base64: 'hHC' in it is no arm word (the site's public key is a fair answer).
        const text = JSON.stringify(r.reply).replace(/-----BEGIN PGP [A-Z ]+-----[\s\S]*?-----END PGP [A-Z ]+-----/g, '');
        return ARM_WORDS.test(text) || secrets.some((s) => text.includes(s));
      })
      .map((r) => `${label(r)} -> ${JSON.stringify(r.reply).slice(0, 300)}`);
    expect(leaks).toEqual([]);
  });

  it.each(BLINDED)('%s: every answer is the same whichever way the allocations lie (flipped-list copy of the study)', (role) => {
    const normalise = (r: Reply, world: World) => {
      // The only differences allowed: where each world keeps its files; the hash of a bundle encrypted with a fresh
      // random session key (it differs between two exports of the same data in one world too); and the subject list's
      // version, the audit chain's head hash, which covers the sweep's own audit rows of those folders and bundle hashes;
      // and a backup's file size, counted in whole SQLite pages: the flipped list stores other words ('MSC'/'PLACEBO'),
      // which may take a page more or less (the backup file is the whole database, list included, as on the ward PC's disk).
      const text = JSON.stringify(r.reply).split(world.dir).join('<files>');
      return JSON.parse(text, function (this: Record<string, unknown>, k, v: unknown) {
        if (k === 'sha256' || k === 'lastBundleSha256') return '<ciphertext hash>';
        if (r.name.startsWith('backup.') && k === 'sizeBytes') return '<pages>';
        if (r.name === 'subjects.list' && k === 'hash' && 'seq' in this) return '<audit head hash>';
        return v;
      }) as unknown;
    };
    const a = repliesA.filter((r) => r.role === role);
    const b = repliesB.filter((r) => r.role === role);
    const labels = (rs: Reply[], world: World) => rs.map((r) => label(r).split(world.dir).join('<files>'));
    expect(labels(b, worldB)).toEqual(labels(a, worldA));
    const differing = a.flatMap((r, i) => {
      const [x, y] = [normalise(r, worldA), normalise(b[i]!, worldB)];
      return JSON.stringify(x) === JSON.stringify(y) ? [] : [`${label(r)}\n  A: ${JSON.stringify(x).slice(0, 400)}\n  B: ${JSON.stringify(y).slice(0, 400)}`];
    });
    expect(differing).toEqual([]);
  });
});
