// Sponsor side of a bundle, in two passes over the encrypted file and without a decrypted byte on disk: pass 1
// (bundleVerify.ts) decides whether it may be loaded; pass 2 (here) reads it again and loads it into the sponsor
// database in one transaction, committed only when the very same bytes came through with the MDC and the site
// signature verified again. Any failure is an ImportRefused naming its kind (importRefusal.ts).
import type Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, openSync } from 'node:fs';
import { AppError } from '../errors';
import type { BundleManifest } from './bundleManifest';
import { readBundle, sha256OfFd, utf8Lines, type BundleKeys } from './bundleReader';
import { jsonObjects, verifyBundle, type Verified } from './bundleVerify';
import { sweepLegacyTempFolders } from './exportWork';
import { refuse } from './importRefusal';
import { fingerprintOf, readPrivateKey, readPublicKey } from './pgpKeys';
import { openSponsorDatabase } from './sponsorDatabase';
import { BundleLoader } from './sponsorLoader';

export interface ImportInput {
  bundleFile: string;
  sponsorSecretKey: string;
  trustedSiteKey: string;
  intoDb: string;
}

export type ImportOutcome =
  | { status: 'imported'; site: string; sequence: number; scope: string; sha256: string; subjects: number; forms: number; auditRows: number; auditHead: { seq: number; hash: string } }
  | { status: 'already-imported'; site: string; sequence: number; sha256: string }
  | { status: 'test-verified'; site: string; sequence: number; sha256: string; subjects: number; forms: number; auditRows: number };

function openBundle(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (error) {
    return refuse('damaged', `无法读取数据包文件 ${file}：${(error as Error).message}`, `cannot read the bundle file ${file}: ${(error as Error).message}`);
  }
}

export async function importBundle(input: ImportInput): Promise<ImportOutcome> {
  sweepLegacyTempFolders('import');
  const sponsorKey = await readPrivateKey(input.sponsorSecretKey, { zh: '申办方私钥', en: 'The sponsor secret key' });
  const siteKey = await readPublicKey(input.trustedSiteKey, { zh: '受信任的中心公钥', en: 'The trusted site key' }, 'verify');
  const keys: BundleKeys = { sponsor: sponsorKey, site: siteKey };
  const fd = openBundle(input.bundleFile);
  const db = openSponsorDatabase(input.intoDb);
  try {
    const sha256 = await sha256OfFd(fd);
    const seen = db.prepare('SELECT site, sequence FROM imported_bundles WHERE bundle_sha256 = ?').get(sha256) as { site: string; sequence: number } | undefined;
    if (seen) return { status: 'already-imported', site: seen.site, sequence: seen.sequence, sha256 };

    const verified = await verifyBundle(fd, sha256, keys, fingerprintOf(siteKey), db);
    const m = verified.manifest;
    if (verified.outcome === 'already') return { status: 'already-imported', site: m.site, sequence: m.sequence, sha256 };
    if (verified.outcome === 'test') {
      return { status: 'test-verified', site: m.site, sequence: m.sequence, sha256, subjects: verified.data.subjects, forms: verified.data.forms, auditRows: verified.chain.rows };
    }
    const loaded = await loadVerified(db, fd, keys, verified);
    return {
      status: 'imported', site: m.site, sequence: m.sequence, scope: m.scope, sha256, ...loaded,
      auditHead: { seq: m.audit.watermark, hash: m.audit.headHash },
    };
  } finally {
    db.close();
    closeSync(fd);
  }
}

/**
 * Pass 2: reads the bundle again and loads data.jsonl and audit.jsonl in one transaction, committed only if the file it
 * read is, byte for byte, the one pass 1 verified (the SHA-256 of the whole encrypted file); otherwise nothing is kept.
 */
async function loadVerified(db: Database.Database, fd: number, keys: BundleKeys, v: Verified): Promise<{ subjects: number; forms: number; auditRows: number }> {
  const loader = new BundleLoader(db, v.manifest, v.manifestText);
  db.exec('BEGIN IMMEDIATE');
  try {
    // Only data.jsonl and audit.jsonl are read (the export packs them first); the decryption stops after them, and the
    // rest of the file is only hashed: what is loaded is proven by the SHA-256 of the whole encrypted file, equal to that
    // of the file pass 1 decrypted to its end and verified (MDC, signature, every digest, the chain).
    const read = await readBundle(fd, keys, async (entry) => {
      if (entry.name === 'data.jsonl') for await (const row of jsonObjects(entry.body)) loader.dataRow(row!);
      else if (entry.name === 'audit.jsonl') for await (const line of utf8Lines(entry.body)) loader.auditLine(line);
      else for await (const chunk of entry.body) void chunk;
    }, { stopAfter: ['data.jsonl', 'audit.jsonl'] });
    // The same encrypted bytes as pass 1 verified (and as named the bundle): so the very same files.
    if (read.sha256 !== v.sha256) refuse('damaged', '导入过程中文件被改动（两次读取内容不同）', 'the file changed while it was being imported (the two reads differ)');
    loader.finish(v.sha256);
    db.exec('COMMIT');
    const { subjects, forms, auditRows } = loader.counts;
    return { subjects, forms, auditRows };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (error instanceof AppError) throw error;
    throw error;
  }
}

export type { BundleManifest };
