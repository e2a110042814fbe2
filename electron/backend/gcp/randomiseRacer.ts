// Concurrency-test child: randomises every subject still in screening, in its own shuffled order, through
// RandomisationService on its own connection; prints "subjectId randNo" per success and "refused CODE" per refusal.
import { existsSync } from 'node:fs';
import { createBackend } from '../backend';
import { AppError } from '../errors';

const [dbFile, seedText] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: randomiseRacer DBFILE SEED');
const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'race-test' });
const { db, randomisation, users } = backend.services;
const user = users.byId(db.prepare("SELECT id FROM users WHERE role = 'investigator' ORDER BY id LIMIT 1").pluck().get() as number)!;
const ids = db.prepare("SELECT id FROM subjects WHERE status = 'screening' ORDER BY id").pluck().all() as number[];
let state = Number(seedText ?? 1);
const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
for (let i = ids.length - 1; i > 0; i--) {
  const j = next() % (i + 1);
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
}
process.stdout.write('ready\n');
// Start together: wait for the go file the parent writes once every child is ready.
const go = `${dbFile}.go`;
while (!existsSync(go)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
for (const id of ids) {
  try {
    const r = randomisation.randomise(id, user, '2024-01-20');
    process.stdout.write(`${id} ${r.randNo}\n`);
  } catch (e) {
    process.stdout.write(`refused ${e instanceof AppError ? e.code : `unexpected ${(e as Error).message}`}\n`);
  }
}
backend.close();
