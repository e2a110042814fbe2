// Randomising from several processes at once on one database file: each subject gets exactly one number, no number is
// given twice, the losers get CONFLICT, and the audit chain stays intact (IMMEDIATE transactions, busy timeout).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { FormCode } from '../../../shared/protocol/types';
import { GOOD_FORMS, enteredBy } from '../../../shared/protocol/testing/fixtures';
import { verifyAuditChain } from '../audit/auditTrail';
import { createBackend } from '../backend';
import { TEST_PASSWORD, testBackend, type TestBackend } from '../testing/fixtures';

const ROOT = resolve(__dirname, '../../..');
const SUBJECTS = 12;
const PROCESSES = 3;
let tb: TestBackend | null = null;
let childJs = '';

afterAll(() => {
  tb?.cleanup();
  if (childJs) rmSync(childJs, { force: true });
});

/** Starts a racer: `ready` resolves once it has read its subjects, `done` with its output lines after it exits. */
function race(dbFile: string, seed: number): { ready: Promise<void>; done: Promise<string[]> } {
  const child = spawn(process.execPath, [childJs, dbFile, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string[]>((resolveDone, reject) =>
    child.on('exit', (code) => (code === 0 ? resolveDone(out.split('\n').filter((l) => l && l !== 'ready')) : reject(new Error(`racer exited ${code}: ${err}`)))),
  );
  return { ready, done };
}

test(`${PROCESSES} processes randomising the same ${SUBJECTS} subjects never share a number`, async () => {
  tb = await testBackend();
  const doctor = await tb.login('investigator', 'doctor');
  const nurse = await tb.login('data_entry', 'nurse');
  const s = tb.backend.services;
  await s.randomisation.generateList('concurrency-seed', SUBJECTS + 3, (await tb.login('pharmacist', 'pharma2')).user, TEST_PASSWORD);
  for (let i = 0; i < SUBJECTS; i++) {
    const subject = s.subjects.create(nurse.user);
    for (const code of ['CONSENT', 'DEMOG', 'MEDHX', 'BIOPSY', 'SLEDAI', 'BILAG', 'VITALS', 'LAB', 'PREG', 'ELIG'] as FormCode[]) {
      s.forms.save({ subjectId: subject.id, visitCode: GOOD_FORMS[code].visit, formCode: code, repeatKey: 0, data: GOOD_FORMS[code].data, expectedVersion: 0, markComplete: true }, enteredBy(code) === 'investigator' ? doctor.user : nurse.user);
    }
  }
  tb.backend.close();

  mkdirSync(join(ROOT, '.cache/reliability'), { recursive: true });
  childJs = join(ROOT, '.cache/reliability', `randomiseRacer-${process.pid}.cjs`);
  await build({ entryPoints: [join(__dirname, 'randomiseRacer.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: childJs, external: ['better-sqlite3-multiple-ciphers'], logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } });
  const runs = Array.from({ length: PROCESSES }, (_, i) => race(tb!.dbFile, i + 1));
  await Promise.all(runs.map((r) => r.ready)); // every child has opened the database and listed the subjects
  writeFileSync(`${tb.dbFile}.go`, 'go');
  const perChild = await Promise.all(runs.map((r) => r.done));
  const lines = perChild.flat();

  const won = lines.filter((l) => !l.startsWith('refused')).map((l) => l.split(' ') as [string, string]);
  const refused = lines.filter((l) => l.startsWith('refused'));
  expect(won).toHaveLength(SUBJECTS);
  expect(new Set(won.map(([id]) => id)).size).toBe(SUBJECTS);
  expect(new Set(won.map(([, randNo]) => randNo)).size).toBe(SUBJECTS);
  expect(refused).toHaveLength(SUBJECTS * (PROCESSES - 1));
  expect(new Set(refused)).toEqual(new Set(['refused CONFLICT']));

  const check = createBackend({ dbFile: tb.dbFile, transport: 'browser', appVersion: 'test' });
  try {
    const db = check.services.db;
    expect(db.prepare('SELECT COUNT(DISTINCT rand_no) FROM subjects WHERE rand_no IS NOT NULL').pluck().get()).toBe(SUBJECTS);
    expect(db.prepare('SELECT COUNT(*) FROM randomisation_list WHERE subject_id IS NOT NULL').pluck().get()).toBe(SUBJECTS);
    // the numbers given are the first SUBJECTS of the list, in order, with no gap
    const given = (db.prepare('SELECT rand_no FROM subjects WHERE rand_no IS NOT NULL').pluck().all() as string[]).sort();
    expect(given).toEqual(Array.from({ length: SUBJECTS }, (_, i) => `R${String(i + 1).padStart(3, '0')}`));
    expect(db.prepare("SELECT COUNT(*) FROM form_instances WHERE form_code = 'RAND'").pluck().get()).toBe(SUBJECTS);
    expect(verifyAuditChain(db).ok).toBe(true);
  } finally {
    check.close();
  }
}, 120_000);
