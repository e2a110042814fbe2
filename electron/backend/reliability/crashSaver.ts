// Crash-safety child: re-saves LAB forms through FormService in a loop and prints "formId version" after each acknowledged save.
import { createBackend } from '../backend';
import type { FormData } from '../../../shared/protocol/types';

const dbFile = process.argv[2];
if (!dbFile) throw new Error('usage: crashSaver DBFILE');
const backend = createBackend({ dbFile, transport: 'browser', appVersion: 'crash-test' });
const { db, forms, users } = backend.services;
const userId = db.prepare("SELECT id FROM users WHERE role = 'data_entry' ORDER BY id LIMIT 1").pluck().get() as number;
const user = users.byId(userId)!;
const labs = db
  .prepare("SELECT id, subject_id AS subjectId, visit_code AS visitCode FROM form_instances WHERE form_code = 'LAB' AND repeat_key = 0 ORDER BY id")
  .all() as { id: number; subjectId: number; visitCode: string }[];
const snapshots = labs.map((f) => forms.repo.values(f.id) as FormData);
const version = db.prepare('SELECT version FROM form_instances WHERE id = ?').pluck();
process.stdout.write('ready\n');
let i = Math.floor(Math.random() * 1000);
for (;;) {
  i++;
  const f = labs[i % labs.length]!;
  const data = snapshots[(i * 7 + 3) % snapshots.length]!;
  const expectedVersion = version.get(f.id) as number;
  try {
    const out = forms.save({ subjectId: f.subjectId, visitCode: f.visitCode as never, formCode: 'LAB', repeatKey: 0, data, reason: 'crash test', expectedVersion, markComplete: true }, user);
    process.stdout.write(`${f.id} ${out.version}\n`);
  } catch (e) {
    process.stderr.write(`rejected: ${(e as Error).message}\n`);
  }
}
