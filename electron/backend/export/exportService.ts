// Sponsor bundles on the site side: the site key (made at first use), the installed sponsor key, and
// export.create: snapshot -> ODM/CSV/audit files -> manifest + SHA256SUMS -> tar -> sign+encrypt -> atomic file.
import { accessSync, constants, createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar-stream';
import type { User } from '../../../shared/api/calls/common';
import type { AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { connectionKey, openSibling } from '../db/encryption';
import { isWrapped, unwrapSiteKey, wrapSiteKey } from './siteKeyWrap';
import { AppError, fail } from '../errors';
import { abandonAtomic, openAtomic, publishAtomic, sealAtomic } from './atomicFile';
import { BUNDLE_FORMAT, bundleFileName, bundleFolder, type BundleManifest } from './bundleManifest';
import { writeExportFiles, type ExportCounts, type ExportProgress, type ExportScope, type WrittenFile } from './exportFiles';
import { HashedFile } from './hashedFile';
import { fingerprintOf, generateKeyPair, readPublicKey } from './pgpKeys';
import { signAndEncryptToFd } from './pgpStream';
import { STUDY_INFO } from './studyDefinition';

export interface KeyRow {
  role: 'site' | 'sponsor';
  fingerprint: string;
  public_key: string;
  private_key: string | null;
  user_id: string;
  installed_at: string;
}

export interface ExportStatus {
  site: string;
  siteKeyFingerprint: string | null;
  sponsorKeyFingerprint: string | null;
  sponsorKeyUserId: string | null;
  lastSequence: number;
  lastExportAt: string | null;
  lastBundleSha256: string | null;
  changesSinceLast: number;
}

export interface ExportResult {
  path: string;
  fileName: string;
  sequence: number;
  scope: ExportScope;
  sha256: string;
  size: number;
  counts: ExportCounts;
}

export interface CreateExportInput {
  scope: ExportScope;
  outDir: string;
  sponsorKeyArmored?: string;
  /** Who ran it when there is no logged-in user (the CLI): recorded as the audit username. */
  cliActor?: string;
  onProgress?: (p: ExportProgress) => void;
}

interface BundleRow {
  sequence: number;
  audit_watermark: number;
  bundle_sha256: string;
  created_at: string;
}

/** Checks the destination folder exists and is writable; throws a bilingual error otherwise. */
export function checkOutDir(outDir: string): string {
  const dir = resolve(outDir);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    fail('VALIDATION', `导出文件夹不存在：${dir}`, `The export folder does not exist: ${dir}`);
  }
  if (!isDir) fail('VALIDATION', `导出位置不是文件夹：${dir}`, `The export location is not a folder: ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail('VALIDATION', `导出文件夹不可写入（U 盘是否写保护？）：${dir}`, `The export folder is not writable (is the USB stick write-protected?): ${dir}`);
  }
  return dir;
}

export class ExportService {
  private running = false;
  private progress: ExportProgress | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly appVersion: string,
  ) {}

  private key(role: 'site' | 'sponsor'): KeyRow | undefined {
    return this.db.prepare('SELECT * FROM export_keys WHERE role = ?').get(role) as KeyRow | undefined;
  }

  private lastBundle(): BundleRow | undefined {
    return this.db
      .prepare('SELECT sequence, audit_watermark, bundle_sha256, created_at FROM export_bundles ORDER BY sequence DESC LIMIT 1')
      .get() as BundleRow | undefined;
  }

  status(): ExportStatus {
    const site = this.key('site');
    const sponsor = this.key('sponsor');
    const last = this.lastBundle();
    const head = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
    return {
      site: STUDY_INFO.site,
      siteKeyFingerprint: site?.fingerprint ?? null,
      sponsorKeyFingerprint: sponsor?.fingerprint ?? null,
      sponsorKeyUserId: sponsor?.user_id ?? null,
      lastSequence: last?.sequence ?? 0,
      lastExportAt: last?.created_at ?? null,
      lastBundleSha256: last?.bundle_sha256 ?? null,
      changesSinceLast: head - (last?.audit_watermark ?? 0),
    };
  }

  currentProgress(): { running: boolean; progress: ExportProgress | null } {
    return { running: this.running, progress: this.progress };
  }

  /** The site's signing key pair, created the first time it is needed; its secret key stored wrapped (siteKeyWrap.ts). */
  async ensureSiteKey(): Promise<KeyRow> {
    const existing = this.key('site');
    if (existing) {
      if (await isWrapped(existing.private_key!)) return existing;
      // Stored unwrapped by an earlier version: wrapped now, once.
      const wrapped = await wrapSiteKey(existing.private_key!, connectionKey(this.db));
      this.db.transaction(() => {
        this.db.prepare("UPDATE export_keys SET private_key = ? WHERE role = 'site'").run(wrapped);
        this.audit.append({ action: 'settings', itemCode: 'export.siteKey', oldValue: existing.fingerprint, newValue: existing.fingerprint, details: { event: 'site key wrapped with the database key' } });
      }).immediate();
      return this.key('site')!;
    }
    const userId = `${STUDY_INFO.site} site (${STUDY_INFO.protocolId} eCRF)`;
    const generated = await generateKeyPair(userId, `${STUDY_INFO.site.toLowerCase()}@ecrf.invalid`);
    const pair = { ...generated, privateKey: await wrapSiteKey(generated.privateKey, connectionKey(this.db)) };
    const at = stamp();
    this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          `INSERT OR IGNORE INTO export_keys (role, fingerprint, public_key, private_key, user_id, installed_at) VALUES ('site', ?, ?, ?, ?, ?)`,
        )
        .run(pair.fingerprint, pair.publicKey, pair.privateKey, userId, at.utc);
      if (inserted.changes) {
        this.audit.append({ action: 'settings', itemCode: 'export.siteKey', newValue: pair.fingerprint, details: { event: 'site key created' } }, at);
      }
    }).immediate();
    return this.key('site')!;
  }

  async sitePublicKey(): Promise<{ fingerprint: string; armored: string }> {
    const k = await this.ensureSiteKey();
    return { fingerprint: k.fingerprint, armored: k.public_key };
  }

  async installSponsorKey(armored: string, user: User | null, cliActor?: string): Promise<{ fingerprint: string; userId: string }> {
    const key = await readPublicKey(armored, { zh: '申办方公钥', en: 'The sponsor public key' }, 'encrypt');
    const fingerprint = fingerprintOf(key);
    const userId = key.getUserIDs()[0] ?? '';
    const old = this.key('sponsor');
    const at = stamp();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO export_keys (role, fingerprint, public_key, private_key, user_id, installed_at) VALUES ('sponsor', ?, ?, NULL, ?, ?)
           ON CONFLICT (role) DO UPDATE SET fingerprint = excluded.fingerprint, public_key = excluded.public_key,
             user_id = excluded.user_id, installed_at = excluded.installed_at`,
        )
        .run(fingerprint, key.armor(), userId, at.utc);
      this.audit.append(
        { userId: user?.id ?? null, username: user?.username ?? cliActor ?? null, action: 'settings', itemCode: 'export.sponsorKey', oldValue: old?.fingerprint ?? null, newValue: fingerprint, details: { userId } },
        at,
      );
    }).immediate();
    return { fingerprint, userId };
  }

  async create(input: CreateExportInput, user: User | null): Promise<ExportResult> {
    if (this.running) fail('CONFLICT', '已有导出正在进行，请等待完成', 'An export is already running; wait for it to finish');
    this.running = true;
    try {
      return await this.createLocked(input, user);
    } finally {
      this.running = false;
    }
  }

  private async createLocked(input: CreateExportInput, user: User | null): Promise<ExportResult> {
    const outDir = checkOutDir(input.outDir);
    const report = (p: ExportProgress) => {
      this.progress = p;
      input.onProgress?.(p);
    };
    const sponsorArmored = input.sponsorKeyArmored ?? this.key('sponsor')?.public_key;
    if (!sponsorArmored) {
      fail('VALIDATION', '尚未安装申办方公钥，请管理员先安装', 'No sponsor public key is installed; an administrator must install it first');
    }
    const sponsorKey = await readPublicKey(sponsorArmored!, { zh: '申办方公钥', en: 'The sponsor public key' }, 'encrypt');
    const siteRow = await this.ensureSiteKey();
    const siteKey = await unwrapSiteKey(siteRow.private_key!, connectionKey(this.db));

    const last = this.lastBundle();
    const sequence = (last?.sequence ?? 0) + 1;
    const fromSeq = input.scope === 'changes' ? (last?.audit_watermark ?? 0) : 0;
    const created = stamp();
    const work = mkdtempSync(join(tmpdir(), 'ecrf-export-'));
    const snap = openSibling(this.db, { readonly: true });
    let target: ReturnType<typeof openAtomic> | null = null;
    try {
      // One read transaction = one consistent snapshot (WAL), while the ward keeps saving on the main connection.
      snap.exec('BEGIN');
      const watermark = (snap.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
      const folder = bundleFolder(STUDY_INFO.site, sequence);
      const { files, counts } = await writeExportFiles({
        snap, scope: input.scope, fromSeq, watermark, workDir: work, createdUtc: created.utc,
        fileOid: `${folder}`, appVersion: this.appVersion, onProgress: report,
      });
      const allocationAccess = {
        holders: (
          snap
            .prepare('SELECT u.username, u.role, a.purpose, a.granted_by, a.granted_at FROM allocation_access a JOIN users u ON u.id = a.user_id ORDER BY a.granted_at, a.user_id')
            .all() as { username: string; role: string; purpose: 'pharmacist' | 'emergency'; granted_by: string; granted_at: string }[]
        ).map((h) => ({ username: h.username, role: h.role, purpose: h.purpose, grantedBy: h.granted_by, grantedAtUtc: h.granted_at })),
        recoveryFingerprint: (snap.prepare('SELECT recovery_fingerprint FROM allocation_vault WHERE id = 1').pluck().get() as string | null | undefined) ?? null,
      };
      snap.exec('COMMIT');

      const manifest: BundleManifest = {
        format: BUNDLE_FORMAT,
        site: STUDY_INFO.site,
        sequence,
        previousBundleSha256: last?.bundle_sha256 ?? null,
        created: { utc: created.utc, local: created.local },
        appVersion: this.appVersion,
        protocol: { id: STUDY_INFO.protocolId, version: STUDY_INFO.protocolVersion },
        scope: input.scope,
        audit: { fromSeq, watermark },
        counts,
        keys: { site: siteRow.fingerprint, sponsor: fingerprintOf(sponsorKey) },
        files: files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })),
        allocationAccess: allocationAccess,
      };
      const all: WrittenFile[] = [...files];
      const manifestFile = new HashedFile('manifest.json', join(work, 'manifest.json'));
      manifestFile.write(`${JSON.stringify(manifest, null, 2)}\n`);
      all.push({ name: 'manifest.json', path: manifestFile.path, ...manifestFile.close() });
      const sums = new HashedFile('SHA256SUMS', join(work, 'SHA256SUMS'));
      for (const f of all) sums.write(`${f.sha256}  ${f.name}\n`);
      all.push({ name: 'SHA256SUMS', path: sums.path, ...sums.close() });

      const totalBytes = all.reduce((n, f) => n + f.size, 0);
      report({ phase: 'encrypting', done: 0, total: totalBytes });
      const fileName = bundleFileName(STUDY_INFO.site, sequence);
      target = openAtomic(outDir, fileName);
      const pack = tar.pack();
      const packing = (async () => {
        for (const f of all) {
          await new Promise<void>((resolveEntry, reject) => {
            const entry = pack.entry({ name: `${folder}/${f.name}`, size: f.size, mode: 0o644, mtime: new Date(created.utc) }, (err) => (err ? reject(err) : resolveEntry()));
            const rs = createReadStream(f.path);
            rs.on('error', reject);
            rs.pipe(entry);
          });
        }
        pack.finalize();
      })();
      packing.catch((err: unknown) => pack.destroy(err as Error));
      const out = await signAndEncryptToFd(pack as AsyncIterable<Uint8Array>, target.fd, { sponsor: sponsorKey, site: siteKey }, (n) =>
        report({ phase: 'encrypting', done: Math.min(n, totalBytes), total: totalBytes }),
      );
      await packing;
      sealAtomic(target);

      const at = stamp();
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO export_bundles (sequence, site, scope, from_audit_seq, audit_watermark, file_name, bundle_sha256, prev_bundle_sha256,
               sponsor_fingerprint, counts, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(sequence, STUDY_INFO.site, input.scope, fromSeq, watermark, fileName, out.sha256, last?.bundle_sha256 ?? null,
            manifest.keys.sponsor, JSON.stringify(counts), at.utc, user?.id ?? null);
        this.audit.append(
          {
            userId: user?.id ?? null,
            username: user?.username ?? input.cliActor ?? null,
            action: 'export',
            newValue: out.sha256,
            details: { sequence, scope: input.scope, fileName, sha256: out.sha256, size: out.size, fromSeq, watermark, counts, sponsorKey: manifest.keys.sponsor },
          },
          at,
        );
        publishAtomic(target!, outDir);
      }).immediate();
      target = null;
      report({ phase: 'done', done: totalBytes, total: totalBytes });
      return { path: join(outDir, fileName), fileName, sequence, scope: input.scope, sha256: out.sha256, size: out.size, counts };
    } catch (error) {
      if (target) abandonAtomic(target);
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return fail('INTERNAL', `导出失败，未生成文件：${message}`, `Export failed, no bundle was written: ${message}`);
    } finally {
      if (snap.inTransaction) snap.exec('ROLLBACK');
      snap.close();
      rmSync(work, { recursive: true, force: true });
      this.progress = null;
    }
  }
}
