// Sponsor bundles on the site side: the site key (made at first use), the installed sponsor key, and
// export.create: snapshot -> ODM/CSV files sealed in the data folder, audit trail produced again from the snapshot ->
// manifest (with the audit head) + SHA256SUMS -> tar -> sign+encrypt -> hidden .partial on the stick -> recorded ->
// moved into place. A test export (to another key) takes no sequence number.
import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import type { User } from '../../../shared/api/calls/common';
import { GENESIS_HASH, type AuditTrail } from '../audit/auditTrail';
import { stamp } from '../audit/clock';
import type { Db } from '../db/connection';
import { connectionKey, openSibling } from '../db/encryption';
import { isWrapped, unwrapSiteKey, wrapSiteKey } from './siteKeyWrap';
import { AppError, fail } from '../errors';
import { faultPoint } from '../faults';
import { abandonAtomic, fsyncDir, openAtomic, publishAtomic, sealAtomic, type AtomicTarget } from './atomicFile';
import { BUNDLE_FORMAT, bundleFileName, bundleFolder, testBundleFileName, type BundleManifest } from './bundleManifest';
import { writeExportFiles, type ExportCounts, type ExportProgress, type ExportScope } from './exportFiles';
import { makeWorkDir, staleWorkDirs, sweepLegacyTempFolders, writeTarget } from './exportWork';
import { fingerprintOf, generateKeyPair, readPublicKey } from './pgpKeys';
import { signAndEncryptToFd } from './pgpStream';
import { memoryFile, SealKey, type BundleFile } from './sealedFile';
import { STUDY_INFO } from './studyDefinition';
import { RULES_VERSION } from '../../../shared/rules/version';

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
  /** For a test export: the number the next real bundle will carry (a test export takes none). */
  sequence: number;
  test: boolean;
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
  manifest_sha256: string | null;
  created_at: string;
}

interface UnpublishedRow {
  sequence: number;
  file_name: string;
  bundle_sha256: string;
  partial_path: string | null;
}

/** The audit trail as a bundle covers it: rows (fromSeq, watermark], and the hashes at both ends. */
export interface AuditSpan {
  fromSeq: number;
  fromHash: string;
  watermark: number;
  headHash: string;
  trailRows: number;
}

export function auditSpan(snap: Database.Database, fromSeq: number): AuditSpan {
  const hashAt = snap.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
  const watermark = (snap.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
  return {
    fromSeq,
    fromHash: fromSeq ? ((hashAt.get(fromSeq) as string | undefined) ?? GENESIS_HASH) : GENESIS_HASH,
    watermark,
    headHash: watermark ? (hashAt.get(watermark) as string) : GENESIS_HASH,
    trailRows: snap.prepare('SELECT COUNT(*) FROM audit_log WHERE seq <= ?').pluck().get(watermark) as number,
  };
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
      .prepare('SELECT sequence, audit_watermark, bundle_sha256, manifest_sha256, created_at FROM export_bundles ORDER BY sequence DESC LIMIT 1')
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

  /** The work folder and stick file of the export in progress (removed by abandonInFlight on a signal). */
  private inFlight: { work: string; partial: string | null; recorded: boolean } | null = null;

  private get dataDir(): string {
    return dirname(resolve(this.db.name));
  }

  /**
   * What an interrupted export left: work folders of processes that are gone (removed, with the hidden .partial bundle
   * they name unless the site recorded that bundle), plaintext folders of earlier versions in the system temp folder,
   * and bundles recorded but never moved into place (published now if their .partial is still there). Run at start and
   * before each export.
   */
  recover(): { published: number[]; removed: string[] } {
    const report = { published: [] as number[], removed: [] as string[] };
    if (this.db.readonly) return report;
    const recordedPartial = this.db.prepare('SELECT 1 FROM export_bundles WHERE partial_path = ? AND published_at IS NULL').pluck();
    for (const { dir, target } of staleWorkDirs(this.dataDir)) {
      if (target && !recordedPartial.get(target.partialPath) && existsSync(target.partialPath)) {
        rmSync(target.partialPath, { force: true });
        report.removed.push(target.partialPath);
      }
      rmSync(dir, { recursive: true, force: true });
      report.removed.push(dir);
    }
    report.removed.push(...sweepLegacyTempFolders('export'));
    const unpublished = this.db
      .prepare('SELECT sequence, file_name, bundle_sha256, partial_path FROM export_bundles WHERE published_at IS NULL ORDER BY sequence')
      .all() as UnpublishedRow[];
    for (const row of unpublished) if (this.publishRecorded(row)) report.published.push(row.sequence);
    return report;
  }

  /** Moves a recorded bundle's .partial into place (or finds it already there); false if neither file is found. */
  private publishRecorded(row: UnpublishedRow): boolean {
    if (!row.partial_path) return false;
    const dir = dirname(row.partial_path);
    const final = join(dir, row.file_name);
    const matches = (file: string) => {
      try {
        return existsSync(file) && sha256File(file) === row.bundle_sha256;
      } catch {
        return false;
      }
    };
    if (!matches(final)) {
      if (!matches(row.partial_path)) return false;
      try {
        renameSync(row.partial_path, final);
        fsyncDir(dir);
      } catch {
        return false;
      }
    }
    const at = stamp();
    this.db.transaction(() => {
      this.db.prepare('UPDATE export_bundles SET published_at = ? WHERE sequence = ?').run(at.utc, row.sequence);
      this.audit.append(
        { username: 'system', action: 'export', newValue: row.bundle_sha256, details: { event: 'published at restart', sequence: row.sequence, fileName: row.file_name } },
        at,
      );
    }).immediate();
    return true;
  }

  /**
   * A bundle recorded but never published whose file is nowhere to be found (the stick was lost before the rename)
   * never reached the sponsor: its record is withdrawn (audited) so its number is used again instead of leaving the
   * sponsor a gap it could never fill.
   */
  private voidUnpublished(user: User | null, cliActor: string | undefined): void {
    const rows = this.db
      .prepare('SELECT sequence, file_name, bundle_sha256, partial_path FROM export_bundles WHERE published_at IS NULL ORDER BY sequence')
      .all() as UnpublishedRow[];
    for (const row of rows) this.voidBundle(row, 'the bundle file was never moved into place and cannot be found', user, cliActor);
  }

  private voidBundle(row: UnpublishedRow, reason: string, user: User | null, cliActor: string | undefined): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM export_bundles WHERE sequence = ?').run(row.sequence);
      this.audit.append({
        userId: user?.id ?? null,
        username: user?.username ?? cliActor ?? 'system',
        action: 'export',
        oldValue: row.bundle_sha256,
        details: { event: 'voided', sequence: row.sequence, fileName: row.file_name, reason },
      });
    }).immediate();
    if (row.partial_path) rmSync(row.partial_path, { force: true });
  }

  /** On SIGINT/SIGTERM: removes the export's work folder and its unrecorded .partial bundle (the process then exits). */
  abandonInFlight(): void {
    const w = this.inFlight;
    if (!w) return;
    if (w.partial && !w.recorded) rmSync(w.partial, { force: true });
    rmSync(w.work, { recursive: true, force: true });
    this.inFlight = null;
  }

  private async createLocked(input: CreateExportInput, user: User | null): Promise<ExportResult> {
    const outDir = checkOutDir(input.outDir);
    if (this.db.readonly) fail('FORBIDDEN', '数据库以只读方式打开，不能导出', 'The database is open read-only; nothing can be exported');
    const report = (p: ExportProgress) => {
      this.progress = p;
      input.onProgress?.(p);
    };
    const installed = this.key('sponsor');
    const sponsorArmored = input.sponsorKeyArmored ?? installed?.public_key;
    if (!sponsorArmored) {
      fail('VALIDATION', '尚未安装申办方公钥，请管理员先安装', 'No sponsor public key is installed; an administrator must install it first');
    }
    const sponsorKey = await readPublicKey(sponsorArmored!, { zh: '申办方公钥', en: 'The sponsor public key' }, 'encrypt');
    const sponsorFingerprint = fingerprintOf(sponsorKey);
    // A bundle encrypted to any key but the installed sponsor key is a test export: it takes no sequence number.
    const test = sponsorFingerprint !== installed?.fingerprint;
    const siteRow = await this.ensureSiteKey();
    const siteKey = await unwrapSiteKey(siteRow.private_key!, connectionKey(this.db));

    this.recover();
    if (!test) this.voidUnpublished(user, input.cliActor);
    const last = this.lastBundle();
    const sequence = (last?.sequence ?? 0) + 1;
    const fromSeq = input.scope === 'changes' ? (last?.audit_watermark ?? 0) : 0;
    const created = stamp();
    const work = makeWorkDir(this.dataDir);
    this.inFlight = { work, partial: null, recorded: false };
    const snap = openSibling(this.db, { readonly: true });
    let target: AtomicTarget | null = null;
    try {
      // One read transaction = one consistent snapshot (WAL), while the ward keeps saving on the main connection. It
      // stays open until the bundle is written: the audit trail is produced from it a second time while it is packed.
      snap.exec('BEGIN');
      const span = auditSpan(snap, fromSeq);
      const folder = bundleFolder(STUDY_INFO.site, sequence);
      const { files, counts } = await writeExportFiles({
        snap, scope: input.scope, fromSeq, watermark: span.watermark, workDir: work, seal: new SealKey(), createdUtc: created.utc,
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
      faultPoint('export.files-written');

      // The manifest names every file's SHA-256: it is made once they are packed (the audit trail's is known only then).
      const makeManifest = (): BundleManifest => ({
        format: BUNDLE_FORMAT,
        site: STUDY_INFO.site,
        sequence,
        previousBundleSha256: last?.bundle_sha256 ?? null,
        previousManifestSha256: last?.manifest_sha256 ?? null,
        created: { utc: created.utc, local: created.local },
        appVersion: this.appVersion,
        protocol: { id: STUDY_INFO.protocolId, version: STUDY_INFO.protocolVersion },
        scope: input.scope,
        audit: span,
        counts,
        keys: { site: siteRow.fingerprint, sponsor: sponsorFingerprint },
        files: files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })),
        allocationAccess: allocationAccess,
        rulesVersion: RULES_VERSION,
        ...(test ? { test: true } : {}),
      });
      let manifestFile: BundleFile | null = null;
      const closing = (): BundleFile[] => {
        manifestFile = memoryFile('manifest.json', `${JSON.stringify(makeManifest(), null, 2)}\n`);
        const listed = [...files, manifestFile];
        return [manifestFile, memoryFile('SHA256SUMS', listed.map((f) => `${f.sha256}  ${f.name}\n`).join(''))];
      };

      const totalBytes = files.reduce((n, f) => n + f.size, 0);
      report({ phase: 'encrypting', done: 0, total: totalBytes });
      const fileName = test ? testBundleFileName(STUDY_INFO.site, sequence, created.utc.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')) : bundleFileName(STUDY_INFO.site, sequence);
      target = openAtomic(outDir, fileName);
      this.inFlight.partial = target.tempPath;
      writeTarget(work, { partialPath: target.tempPath, finalPath: target.finalPath, sequence, test });
      const pack = tar.pack();
      const packOne = (f: BundleFile) =>
        new Promise<void>((resolveEntry, reject) => {
          const entry = pack.entry({ name: `${folder}/${f.name}`, size: f.size, mode: 0o644, mtime: new Date(created.utc) }, (err) => (err ? reject(err) : resolveEntry()));
          pipeline(Readable.from(f.read()), entry).catch(reject);
        });
      const packing = (async () => {
        for (const f of files) {
          await packOne(f);
          faultPoint('export.packing');
        }
        for (const f of closing()) await packOne(f);
        pack.finalize();
      })();
      packing.catch((err: unknown) => pack.destroy(err as Error));
      const out = await signAndEncryptToFd(pack as AsyncIterable<Uint8Array>, target.fd, { sponsor: sponsorKey, site: siteKey }, (n) =>
        report({ phase: 'encrypting', done: Math.min(n, totalBytes), total: totalBytes }),
      );
      await packing;
      sealAtomic(target);
      snap.exec('COMMIT');

      const details = { sequence, scope: input.scope, fileName, sha256: out.sha256, size: out.size, fromSeq, watermark: span.watermark, auditHead: span.headHash, trailRows: span.trailRows, counts, sponsorKey: sponsorFingerprint };
      const manifestSha256 = (manifestFile as BundleFile | null)!.sha256;
      if (test) this.publishTest(target, outDir, details, user, input.cliActor);
      else this.recordAndPublish(target, outDir, { ...details, previous: last?.bundle_sha256 ?? null, manifestSha256 }, user, input.cliActor);
      target = null;
      report({ phase: 'done', done: totalBytes, total: totalBytes });
      return { path: join(outDir, fileName), fileName, sequence, test, scope: input.scope, sha256: out.sha256, size: out.size, counts };
    } catch (error) {
      if (target && !this.inFlight?.recorded) abandonAtomic(target);
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return fail('INTERNAL', `导出失败，未生成文件：${message}`, `Export failed, no bundle was written: ${message}`);
    } finally {
      if (snap.inTransaction) snap.exec('ROLLBACK');
      snap.close();
      rmSync(work, { recursive: true, force: true });
      this.inFlight = null;
      this.progress = null;
    }
  }

  /**
   * The site records the bundle (row + audit) first and only then moves it into place: a crash in between leaves a
   * hidden .partial that recover() publishes at the next start. A rename that fails withdraws the record.
   */
  private recordAndPublish(
    target: AtomicTarget,
    outDir: string,
    d: {
      sequence: number; scope: ExportScope; fileName: string; sha256: string; size: number; fromSeq: number; watermark: number; auditHead: string;
      trailRows: number; counts: ExportCounts; sponsorKey: string; previous: string | null; manifestSha256: string;
    },
    user: User | null,
    cliActor: string | undefined,
  ): void {
    const at = stamp();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO export_bundles (sequence, site, scope, from_audit_seq, audit_watermark, file_name, bundle_sha256, prev_bundle_sha256,
             sponsor_fingerprint, counts, created_at, created_by, audit_head_hash, audit_trail_rows, published_at, partial_path, manifest_sha256)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        )
        .run(d.sequence, STUDY_INFO.site, d.scope, d.fromSeq, d.watermark, d.fileName, d.sha256, d.previous, d.sponsorKey,
          JSON.stringify(d.counts), at.utc, user?.id ?? null, d.auditHead, d.trailRows, target.tempPath, d.manifestSha256);
      const { previous: _previous, ...details } = d;
      this.audit.append({ userId: user?.id ?? null, username: user?.username ?? cliActor ?? null, action: 'export', newValue: d.sha256, details }, at);
    }).immediate();
    this.inFlight!.recorded = true;
    faultPoint('export.recorded');
    try {
      publishAtomic(target, outDir);
    } catch (error) {
      this.voidBundle(
        { sequence: d.sequence, file_name: d.fileName, bundle_sha256: d.sha256, partial_path: target.tempPath },
        `moving the bundle into place failed: ${(error as Error).message}`, user, cliActor,
      );
      fail('INTERNAL', `数据包未能写入导出文件夹（U 盘被拔出？），已撤销：${(error as Error).message}`, `The bundle could not be moved into place (USB stick removed?) and was withdrawn: ${(error as Error).message}`);
    }
    faultPoint('export.published');
    this.db.prepare('UPDATE export_bundles SET published_at = ? WHERE sequence = ?').run(stamp().utc, d.sequence);
  }

  /** A test export: audited, moved into place, never recorded as a bundle (the sponsor's numbering is untouched). */
  private publishTest(target: AtomicTarget, outDir: string, details: Record<string, unknown>, user: User | null, cliActor: string | undefined): void {
    this.db.transaction(() => {
      this.audit.append({
        userId: user?.id ?? null, username: user?.username ?? cliActor ?? null, action: 'export', newValue: details.sha256 as string,
        details: { ...details, test: true, sequence: null, wouldBeSequence: details.sequence },
      });
    }).immediate();
    publishAtomic(target, outDir);
  }
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
