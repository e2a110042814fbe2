// The sponsor's view of a bundle in tests: a site study exported through the API, then every file of the bundle read
// back (decrypted and verified by the same reader the sponsor import uses), and the contract rows of issue 14 written
// the way the site writes them (derived values, missing-value reasons), for the export side to be tested on its own.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemValue } from '../../../shared/protocol/types';
import type { AuditTrail } from '../audit/auditTrail';
import type { Db } from '../db/connection';
import { encodeValue } from '../services/casebookRepository';
import { readBundle } from '../export/bundleReader';
import { generateKeyPair, readPrivateKey, readPublicKey } from '../export/pgpKeys';
import { ok } from './apiResults';
import type { TestBackend } from './fixtures';

export type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** Installs a fresh sponsor key (as the admin) and returns it with a folder for bundles. */
export async function sponsorSetup(t: TestBackend, admin: string): Promise<{ sponsor: KeyPair; out: string; sitePublic: string }> {
  const sponsor = await generateKeyPair('Sponsor DM', 'dm@sponsor.example.org');
  await ok(t.call('export.installSponsorKey', { armoredKey: sponsor.publicKey }, admin));
  const out = join(t.dir, 'usb');
  mkdirSync(out, { recursive: true });
  const site = await ok<{ armoredKey: string }>(t.call('export.sitePublicKey', {}, admin));
  return { sponsor, out, sitePublic: site.armoredKey };
}

export async function exportBundle(t: TestBackend, monitor: string, out: string, scope: 'full' | 'changes' = 'full') {
  return ok<{ path: string; sha256: string; sequence: number; counts: { forms: number; items: number; subjects: number; auditRows: number } }>(
    t.call('export.create', { scope, outDir: out }, monitor),
  );
}

/** Every file of the bundle as text, keyed by its path inside the bundle's folder (verified: MDC and signature). */
export async function bundleFiles(path: string, sponsorSecret: string, sitePublic: string): Promise<Map<string, string>> {
  const keys = { sponsor: await readPrivateKey(sponsorSecret), site: await readPublicKey(sitePublic, undefined, 'verify') };
  const files = new Map<string, string>();
  const fd = openSync(path, 'r');
  try {
    await readBundle(fd, keys, async (entry) => {
      const parts: Buffer[] = [];
      for await (const chunk of entry.body) parts.push(chunk);
      files.set(entry.name, Buffer.concat(parts).toString('utf8'));
    });
  } finally {
    closeSync(fd);
  }
  return files;
}

/** A CSV parsed into rows of cells (RFC 4180: quotes, doubled quotes, newlines in quotes), without the BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A CSV as objects keyed by its header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/**
 * Writes derived values the way the site stores them (issue 14 storage contract, item 2): table derived_values, one row
 * per (form, derived id), the value JSON-encoded, with the rules version. Creates the table if this tree's migrations
 * do not have it yet (the site half of issue 14 adds it as migration 0009).
 */
export function writeDerivedRows(db: Db, formId: number, values: Record<string, number | string>, rulesVersion: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS derived_values (form_id INTEGER NOT NULL REFERENCES form_instances(id), derived_id TEXT NOT NULL,
    value TEXT NOT NULL, rules_version TEXT NOT NULL, PRIMARY KEY (form_id, derived_id)) WITHOUT ROWID`);
  const put = db.prepare('INSERT OR REPLACE INTO derived_values (form_id, derived_id, value, rules_version) VALUES (?, ?, ?, ?)');
  for (const [id, v] of Object.entries(values)) put.run(formId, id, JSON.stringify(v), rulesVersion);
}

export function formIdOf(db: Db, subjectId: number, visitCode: string, formCode: string, repeatKey = 0): number {
  return db.prepare('SELECT id FROM form_instances WHERE subject_id = ? AND visit_code = ? AND form_code = ? AND repeat_key = ?').pluck().get(subjectId, visitCode, formCode, repeatKey) as number;
}

/**
 * Stores one item of a saved form as the site's save does (item_values + an audited item.create/update row in one
 * transaction): for items this tree's form service does not take yet, such as a missing-value reason
 * `<fieldId>__missing` (storage contract, item 4).
 */
export function writeItemAsSite(
  services: { db: Db; audit: AuditTrail },
  form: { subjectId: number; visitCode: string; formCode: string; repeatKey?: number },
  item: string,
  value: ItemValue,
): void {
  const { db, audit } = services;
  db.transaction(() => {
    const formId = formIdOf(db, form.subjectId, form.visitCode, form.formCode, form.repeatKey ?? 0);
    const screeningNo = db.prepare('SELECT screening_no FROM subjects WHERE id = ?').pluck().get(form.subjectId) as string;
    const before = db.prepare('SELECT value FROM item_values WHERE form_id = ? AND item_code = ?').pluck().get(formId, item) as string | undefined;
    db.prepare('INSERT INTO item_values (form_id, item_code, value) VALUES (?, ?, ?) ON CONFLICT (form_id, item_code) DO UPDATE SET value = excluded.value').run(formId, item, encodeValue(value));
    audit.append({
      username: 'system', action: before === undefined ? 'item.create' : 'item.update', subjectId: form.subjectId, screeningNo, visitCode: form.visitCode,
      formCode: form.formCode, repeatKey: form.repeatKey ?? 0, itemCode: item, oldValue: before ?? null, newValue: encodeValue(value),
    });
  }).immediate();
}
