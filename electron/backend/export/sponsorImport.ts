// Sponsor side of a bundle: verify the site signature, decrypt, check every hash and the per-site
// sequence/hash chain (no gaps, no replays), then load into the sponsor database idempotently.
import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { AppError, fail } from '../errors';
import { bundleFolder, manifestSchema, type BundleManifest } from './bundleManifest';
import { fingerprintOf, readPrivateKey, readPublicKey } from './pgpKeys';
import { decryptAndVerifyToFd } from './pgpStream';
import { openSponsorDatabase } from './sponsorDatabase';

export interface ImportInput {
  bundleFile: string;
  sponsorSecretKey: string;
  trustedSiteKey: string;
  intoDb: string;
}

export type ImportOutcome =
  | { status: 'imported'; site: string; sequence: number; scope: string; sha256: string; subjects: number; forms: number; auditRows: number }
  | { status: 'already-imported'; site: string; sequence: number; sha256: string };

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const reject = (zh: string, en: string): never => fail('VALIDATION', `拒绝导入：${zh}`, `Import refused: ${en}`);

/** Extracts regular files of one top folder into dir; refuses anything else (links, '..', other folders). */
async function extractTar(tarFile: string, dir: string, folder: string): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name;
      const rel = name.startsWith(`${folder}/`) ? name.slice(folder.length + 1) : null;
      if (entry.header.type === 'directory' && (name === folder || name === `${folder}/`)) {
        entry.resume();
        continue;
      }
      if (entry.header.type !== 'file' || !rel || rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
        entry.resume();
        reject(`归档中有意外条目 ${name}`, `unexpected entry in the archive: ${name}`);
      }
      const safe = rel!.replaceAll('/', '__');
      names.push(rel!);
      await pipeline(entry, createWriteStream(join(dir, safe), { flags: 'wx' }));
    }
  })();
  await Promise.all([pipeline(createReadStream(tarFile), extract), done]);
  return names;
}

const localPath = (dir: string, name: string) => join(dir, name.replaceAll('/', '__'));

export async function importBundle(input: ImportInput): Promise<ImportOutcome> {
  const sponsorKey = await readPrivateKey(input.sponsorSecretKey, { zh: '申办方私钥', en: 'The sponsor secret key' });
  const siteKey = await readPublicKey(input.trustedSiteKey, { zh: '受信任的中心公钥', en: 'The trusted site key' }, 'verify');
  const siteFingerprint = fingerprintOf(siteKey);
  const bundleSha = await sha256OfFile(input.bundleFile);

  const db = openSponsorDatabase(input.intoDb);
  const work = mkdtempSync(join(tmpdir(), 'ecrf-import-'));
  try {
    const seen = db.prepare('SELECT site, sequence FROM imported_bundles WHERE bundle_sha256 = ?').get(bundleSha) as { site: string; sequence: number } | undefined;
    if (seen) return { status: 'already-imported', site: seen.site, sequence: seen.sequence, sha256: bundleSha };

    const tarFile = join(work, 'bundle.tar');
    const fd = openSync(tarFile, 'wx', 0o600);
    try {
      await decryptAndVerifyToFd(createReadStream(input.bundleFile), fd, { sponsor: sponsorKey, site: siteKey });
    } catch (error) {
      const detail = (error as Error).message;
      if (/signature|signing key|signed|verif/i.test(detail)) {
        reject(`中心签名无效或不是受信任的中心密钥 ${siteFingerprint} 签名：${detail}`, `the site signature is missing, invalid or not made by the trusted site key ${siteFingerprint}: ${detail}`);
      }
      if (/session key|decrypt.*key|no decryption key|not.*encrypted.*key/i.test(detail) && !/modification|integrity|mdc/i.test(detail)) {
        reject(`无法用此申办方私钥解密（文件不是加密给该密钥的？）：${detail}`, `cannot decrypt with this sponsor secret key (not encrypted to it?): ${detail}`);
      }
      reject(`文件已损坏、被截断或被篡改：${detail}`, `the file is damaged, truncated or was altered: ${detail}`);
    } finally {
      closeSync(fd);
    }

    // Find the folder name from the archive itself, then verify its contents.
    const folder = await topFolder(tarFile);
    const names = await extractTar(tarFile, work, folder);
    if (!names.includes('manifest.json') || !names.includes('SHA256SUMS')) reject('缺少 manifest.json 或 SHA256SUMS', 'manifest.json or SHA256SUMS is missing');
    const sums = new Map<string, string>();
    for (const line of readFileSync(localPath(work, 'SHA256SUMS'), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!m) reject(`SHA256SUMS 格式错误：${line}`, `malformed SHA256SUMS line: ${line}`);
      sums.set(m![2]!, m![1]!);
    }
    for (const name of names) {
      if (name === 'SHA256SUMS') continue;
      const expected = sums.get(name) ?? reject(`${name} 未列在 SHA256SUMS 中`, `${name} is not listed in SHA256SUMS`);
      const actual = await sha256OfFile(localPath(work, name));
      if (actual !== expected) reject(`${name} 的 SHA-256 不符`, `SHA-256 of ${name} does not match`);
    }
    for (const name of sums.keys()) if (!names.includes(name)) reject(`缺少文件 ${name}`, `file ${name} is missing from the bundle`);

    let manifest: BundleManifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(readFileSync(localPath(work, 'manifest.json'), 'utf8')));
    } catch (error) {
      return reject(`manifest.json 无效：${(error as Error).message}`, `manifest.json is invalid: ${(error as Error).message}`);
    }
    if (folder !== bundleFolder(manifest.site, manifest.sequence)) reject('归档文件夹名与清单不符', 'the archive folder does not match the manifest');
    for (const f of manifest.files) if (sums.get(f.name) !== f.sha256) reject(`清单中 ${f.name} 的哈希不符`, `manifest hash of ${f.name} does not match`);
    if (manifest.keys.site !== siteFingerprint) reject('清单中的中心密钥与受信任密钥不符', 'the site key named in the manifest is not the trusted key');

    checkSequence(db, manifest);
    const loaded = await load(db, manifest, bundleSha, localPath(work, 'data.jsonl'), localPath(work, 'audit.jsonl'), siteFingerprint);
    return { status: 'imported', site: manifest.site, sequence: manifest.sequence, scope: manifest.scope, sha256: bundleSha, ...loaded };
  } finally {
    db.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function topFolder(tarFile: string): Promise<string> {
  const extract = tar.extract();
  let first: string | null = null;
  const reading = (async () => {
    for await (const entry of extract) {
      if (first === null) first = entry.header.name.split('/')[0] ?? '';
      entry.resume();
    }
  })();
  await Promise.all([pipeline(createReadStream(tarFile), extract), reading]);
  return first ?? reject('归档为空', 'the archive is empty');
}

/** Per site: the first bundle is sequence 1; each next one is last + 1 and names the last one's hash. */
function checkSequence(db: Database.Database, m: BundleManifest): void {
  const last = db
    .prepare('SELECT sequence, bundle_sha256 FROM imported_bundles WHERE site = ? ORDER BY sequence DESC LIMIT 1')
    .get(m.site) as { sequence: number; bundle_sha256: string } | undefined;
  const lastSeq = last?.sequence ?? 0;
  if (m.sequence <= lastSeq) {
    reject(
      `重放：中心 ${m.site} 的第 ${m.sequence} 号数据包已导入过另一个版本（已导入到第 ${lastSeq} 号）`,
      `replay: bundle ${m.sequence} of site ${m.site} is at or before the last imported bundle ${lastSeq} and differs from it`,
    );
  }
  if (m.sequence > lastSeq + 1) {
    reject(
      `缺号：中心 ${m.site} 的第 ${lastSeq + 1}–${m.sequence - 1} 号数据包尚未导入，请按顺序导入`,
      `gap: bundle(s) ${lastSeq + 1}..${m.sequence - 1} of site ${m.site} have not been imported; import in order`,
    );
  }
  if ((m.previousBundleSha256 ?? null) !== (last?.bundle_sha256 ?? null)) {
    reject(
      `第 ${m.sequence} 号数据包记录的上一包哈希与已导入的第 ${lastSeq} 号不符`,
      `bundle ${m.sequence} names a previous bundle hash that does not match imported bundle ${lastSeq}`,
    );
  }
}

async function* lines(file: string): AsyncGenerator<Record<string, unknown>> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
}

async function load(
  db: Database.Database, m: BundleManifest, sha: string, dataFile: string, auditFile: string, siteKey: string,
): Promise<{ subjects: number; forms: number; auditRows: number }> {
  const upSubject = db.prepare(
    `INSERT INTO subjects (site, screening_no, rand_no, kit_no, status, created_at, source_sequence, status_date, status_reason, status_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (site, screening_no) DO UPDATE SET rand_no = excluded.rand_no, kit_no = excluded.kit_no, status = excluded.status, source_sequence = excluded.source_sequence,
       status_date = excluded.status_date, status_reason = excluded.status_reason, status_note = excluded.status_note`,
  );
  const upForm = db.prepare(
    `INSERT INTO forms (site, screening_no, visit_code, form_code, repeat_key, status, version, updated_at, data, source_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (site, screening_no, visit_code, form_code, repeat_key) DO UPDATE SET status = excluded.status, version = excluded.version,
       updated_at = excluded.updated_at, data = excluded.data, source_sequence = excluded.source_sequence`,
  );
  const addAudit = db.prepare('INSERT OR IGNORE INTO audit (site, seq, row, source_sequence) VALUES (?, ?, ?, ?)');
  let subjects = 0;
  let forms = 0;
  let auditRows = 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const r of lines(dataFile)) {
      if (r.site !== m.site) reject(`数据行属于其他中心 ${String(r.site)}`, `a data row belongs to another site ${String(r.site)}`);
      if (r.type === 'subject') {
        upSubject.run(m.site, r.screeningNo, r.randNo ?? null, r.kitNo ?? null, r.status, r.createdAt, m.sequence, r.statusDate ?? null, r.statusReason ?? null, r.statusNote ?? null);
        subjects++;
      } else if (r.type === 'form') {
        upForm.run(m.site, r.screeningNo, r.visitCode, r.formCode, r.repeatKey, r.status, r.version, r.updatedAt, JSON.stringify(r.values), m.sequence);
        forms++;
      }
    }
    for await (const r of lines(auditFile)) {
      addAudit.run(m.site, r.seq, JSON.stringify(r), m.sequence);
      auditRows++;
    }
    db.prepare(
      `INSERT INTO imported_bundles (site, sequence, bundle_sha256, previous_sha256, scope, site_key, created_utc, imported_at, manifest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.site, m.sequence, sha, m.previousBundleSha256, m.scope, siteKey, m.created.utc, new Date().toISOString(), JSON.stringify(m));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    if (error instanceof AppError) throw error;
    throw error;
  }
  return { subjects, forms, auditRows };
}
