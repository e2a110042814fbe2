import { keyFromFile, openKeyed } from '../electron/backend/db/encryption';
const f = process.argv[2]!;
const db = openKeyed(f, keyFromFile(f), { readonly: true });
try {
  const rows = db.prepare("SELECT name, SUM(pgsize) AS bytes, COUNT(*) AS pages FROM dbstat GROUP BY name ORDER BY bytes DESC").all();
  console.table(rows);
} catch (e) { console.log('dbstat', (e as Error).message); }
for (const t of ['subjects','form_instances','item_values','audit_log','queries','query_messages','sdv_items','signatures']) console.log(t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());
console.log(db.prepare("SELECT action, COUNT(*) n FROM audit_log GROUP BY action ORDER BY n DESC").all());
