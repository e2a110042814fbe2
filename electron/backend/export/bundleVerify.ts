// Pass 1 of a sponsor import: everything that decides whether a bundle may be loaded, checked while it streams and
// before anything is written: MDC and site signature (bundleReader), every file against SHA256SUMS and the manifest,
// the sequence (no replay, no gap), and the audit trail (an unbroken chain that extends the head of the site's
// previous bundle). Loading (sponsorImport.ts) reads the bundle again only after this has passed.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { GENESIS_HASH } from '../audit/auditTrail';
import { BundleChainCheck, type ChainSummary } from './bundleChain';
import { BUNDLE_FORMAT, bundleFolder, manifestSchema, READABLE_FORMATS, type BundleManifest } from './bundleManifest';
import { readBundle, utf8Lines, type BundleEntry, type BundleKeys } from './bundleReader';
import { refuse } from './importRefusal';
import { heldAuditHashes, importedManifestSha256, sponsorSiteState, type SponsorSiteState } from './sponsorDatabase';

export interface FileDigest {
  sha256: string;
  size: number;
}

export interface VerifiedBundle {
  sha256: string;
  folder: string;
  manifest: BundleManifest;
  /** manifest.json as received (kept byte for byte: its SHA-256 is what the next bundle names). */
  manifestText: string;
  manifestSha256: string;
  /** Every file's digest as read in this pass: the load pass must read the very same bytes. */
  files: Map<string, FileDigest>;
  chain: ChainSummary;
  data: { subjects: number; forms: number };
}

const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
/** The kinds of line data.jsonl holds (format /3; /2 has subject and form only). Dictionary rows carry no site. */
const DATA_ROW_TYPES = new Set(['column', 'code', 'subject', 'form', 'query', 'queryMessage', 'sdv', 'signature', 'statusChange', 'unblinding']);
const FOLDER = /^(.+)-export-(\d{6})$/;

/** A pass-through of an entry's bytes that hashes them; digest() once they have been read to the end. */
export function hashing(entry: BundleEntry): { body: AsyncIterable<Buffer>; digest(): FileDigest } {
  const hash = createHash('sha256');
  let size = 0;
  let result: FileDigest | null = null;
  return {
    body: (async function* () {
      for await (const chunk of entry.body) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
      result = { sha256: hash.digest('hex'), size };
    })(),
    digest: () => result ?? { sha256: '', size },
  };
}

/** Each line of a JSON-lines body parsed to an object; null for a line that is not a JSON object. */
export async function* jsonObjects(body: AsyncIterable<Buffer>): AsyncGenerator<Record<string, unknown> | null> {
  for await (const line of utf8Lines(body)) {
    if (!line.trim()) continue;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = null;
    }
    yield parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  }
}

interface Collected {
  folder: string;
  /** SHA-256 of the encrypted bytes this pass verified. */
  cipherSha256: string | null;
  files: Map<string, FileDigest>;
  small: Map<string, Buffer>;
  chain: ChainSummary;
  data: { subjects: number; forms: number; badLine: number; otherSite: string | null };
}

/** Streams the bundle once (nothing written), collecting digests, the small files, the chain and the data rows. */
async function collect(fd: number, keys: BundleKeys, sponsorDb: Database.Database): Promise<Collected> {
  const files = new Map<string, FileDigest>();
  const small = new Map<string, Buffer>();
  let chain: ChainSummary | null = null;
  const data = { subjects: 0, forms: 0, badLine: 0, otherSite: null as string | null };
  const { folder, sha256: cipherSha256 } = await readBundle(fd, keys, async (entry) => {
    const site = FOLDER.exec(entry.folder)?.[1] ?? null;
    const read = hashing(entry);
    if (entry.name === 'audit.jsonl') {
      const check = new BundleChainCheck(site ? heldAuditHashes(sponsorDb, site) : () => undefined);
      for await (const row of jsonObjects(read.body)) check.row(row ?? {});
      chain = check.summary();
    } else if (entry.name === 'data.jsonl') {
      let line = 0;
      for await (const row of jsonObjects(read.body)) {
        line++;
        if (row === null || !DATA_ROW_TYPES.has(String(row.type))) data.badLine ||= line;
        else if (row.type === 'subject') data.subjects++;
        else if (row.type === 'form') data.forms++;
        if (row && 'site' in row && row.site !== site) data.otherSite ??= String(row.site);
      }
    } else if (entry.name === 'manifest.json' || entry.name === 'SHA256SUMS') {
      if (entry.size > SMALL_FILE_LIMIT) refuse('damaged', `${entry.name} 过大`, `${entry.name} is too large`);
      const parts: Buffer[] = [];
      for await (const chunk of read.body) parts.push(chunk);
      small.set(entry.name, Buffer.concat(parts));
    } else {
      for await (const chunk of read.body) void chunk;
    }
    files.set(entry.name, read.digest());
  });
  return { folder, cipherSha256, files, small, chain: chain ?? emptyChain(), data };
}

/** The files agree with SHA256SUMS and the manifest; the manifest is of this format, this folder and the trusted site. */
function checkContents(c: Collected, trustedFingerprint: string): BundleManifest {
  const sumsText = c.small.get('SHA256SUMS')?.toString('utf8');
  const manifestText = c.small.get('manifest.json')?.toString('utf8');
  if (sumsText === undefined || manifestText === undefined) refuse('damaged', '缺少 manifest.json 或 SHA256SUMS', 'manifest.json or SHA256SUMS is missing');
  const sums = new Map<string, string>();
  for (const line of sumsText!.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) return refuse('damaged', `SHA256SUMS 格式错误：${line}`, `malformed SHA256SUMS line: ${line}`);
    sums.set(m[2]!, m[1]!);
  }
  for (const [name, digest] of c.files) {
    if (name === 'SHA256SUMS') continue;
    const expected = sums.get(name) ?? refuse('damaged', `${name} 未列在 SHA256SUMS 中`, `${name} is not listed in SHA256SUMS`);
    if (digest.sha256 !== expected) refuse('damaged', `${name} 的 SHA-256 与 SHA256SUMS 不符`, `SHA-256 of ${name} does not match SHA256SUMS`);
  }
  for (const name of sums.keys()) if (!c.files.has(name)) refuse('damaged', `缺少文件 ${name}`, `file ${name} is missing from the bundle`);

  let raw: unknown;
  try {
    raw = JSON.parse(manifestText!);
  } catch (error) {
    return refuse('damaged', `manifest.json 不是 JSON：${(error as Error).message}`, `manifest.json is not JSON: ${(error as Error).message}`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format !== 'string' || !READABLE_FORMATS.includes(format)) {
    refuse(
      'format',
      `数据包格式为 ${String(format)}，本版本读取 ${BUNDLE_FORMAT}：请中心用新版本重新导出`,
      `the bundle format is ${String(format)}; this version reads ${BUNDLE_FORMAT}: ask the site to export again with the current version`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return refuse('damaged', `manifest.json 无效：${parsed.error.message}`, `manifest.json is invalid: ${parsed.error.message}`);
  const manifest = parsed.data;
  if (c.folder !== bundleFolder(manifest.site, manifest.sequence)) {
    refuse('damaged', `归档文件夹 ${c.folder} 与清单不符`, `the archive folder ${c.folder} does not match the manifest`);
  }
  for (const f of manifest.files) {
    if (sums.get(f.name) !== f.sha256 || c.files.get(f.name)?.size !== f.size) refuse('damaged', `清单中 ${f.name} 的哈希或大小不符`, `the manifest's hash or size of ${f.name} does not match`);
  }
  if (manifest.keys.site !== trustedFingerprint) {
    refuse('wrong-site', `清单中的中心密钥 ${manifest.keys.site} 不是受信任的密钥 ${trustedFingerprint}`, `the site key named in the manifest (${manifest.keys.site}) is not the trusted key ${trustedFingerprint}`);
  }
  if (c.data.badLine) refuse('damaged', `data.jsonl 第 ${c.data.badLine} 行无效`, `line ${c.data.badLine} of data.jsonl is not a row this version reads`);
  if (c.data.otherSite !== null) refuse('wrong-site', `数据行属于其他中心 ${c.data.otherSite}`, `a data row belongs to another site (${c.data.otherSite})`);
  return manifest;
}

/** The audit rows in the bundle are an unbroken chain from the row the manifest says it continues, to its head. */
function checkChainAgainstManifest(chain: ChainSummary, m: BundleManifest): void {
  const a = m.audit;
  const fork = (zh: string, en: string) => refuse('fork', zh, en);
  if (chain.broken) fork(`数据包中的稽查轨迹在第 ${chain.broken.seq} 行断开：${chain.broken.zh}`, `the audit trail in the bundle is broken at row ${chain.broken.seq}: ${chain.broken.en}`);
  if (chain.rows !== m.counts.auditRows) fork(`audit.jsonl 有 ${chain.rows} 行，清单写 ${m.counts.auditRows} 行`, `audit.jsonl holds ${chain.rows} rows, the manifest says ${m.counts.auditRows}`);
  if (a.trailRows !== a.watermark) {
    fork(
      `中心的稽查轨迹到第 ${a.watermark} 行只有 ${a.trailRows} 行：有行被删除`,
      `the site's audit trail holds ${a.trailRows} rows up to row ${a.watermark}: rows were deleted`,
    );
  }
  if (m.scope === 'full' && (a.fromSeq !== 0 || a.fromHash !== GENESIS_HASH)) fork('完整数据包不是从第 1 行开始', 'a full bundle does not start at row 1');
  if (chain.rows === 0) {
    if (a.watermark !== a.fromSeq || a.headHash !== a.fromHash) fork('清单的稽查头与（空的）audit.jsonl 不符', 'the manifest audit head does not match the (empty) audit.jsonl');
    return;
  }
  if (chain.firstSeq !== a.fromSeq + 1 || chain.firstPrevHash !== a.fromHash) {
    fork(
      `audit.jsonl 从第 ${chain.firstSeq} 行开始，未接续清单所写的第 ${a.fromSeq} 行`,
      `audit.jsonl starts at row ${chain.firstSeq}, which does not continue row ${a.fromSeq} named in the manifest`,
    );
  }
  if (chain.lastSeq !== a.watermark || chain.lastHash !== a.headHash) {
    fork(
      `audit.jsonl 的最后一行（第 ${chain.lastSeq} 行）不是清单所写的稽查头（第 ${a.watermark} 行）`,
      `the last row of audit.jsonl (row ${chain.lastSeq}) is not the audit head named in the manifest (row ${a.watermark})`,
    );
  }
}

/**
 * Per site: the first bundle is sequence 1; each next one is last + 1 and names the last one's manifest hash (or, after
 * a bundle of format /1, its file hash). A bundle already imported (the same manifest) is recognised: 'already'.
 */
function checkSequence(db: Database.Database, state: SponsorSiteState, m: BundleManifest, manifestSha: string): 'new' | 'already' {
  const lastSeq = state.lastSequence;
  if (m.sequence <= lastSeq && importedManifestSha256(db, m.site, m.sequence) === manifestSha) return 'already';
  if (m.sequence <= lastSeq) {
    refuse(
      'replay',
      `中心 ${m.site} 的第 ${m.sequence} 号数据包已导入过另一个版本（已导入到第 ${lastSeq} 号）`,
      `bundle ${m.sequence} of site ${m.site} is at or before the last imported bundle ${lastSeq} and differs from it`,
    );
  }
  if (m.sequence > lastSeq + 1) {
    refuse(
      'gap',
      `中心 ${m.site} 的第 ${lastSeq + 1}–${m.sequence - 1} 号数据包尚未导入，请按顺序导入`,
      `bundle(s) ${lastSeq + 1}..${m.sequence - 1} of site ${m.site} have not been imported; import in order`,
    );
  }
  const linked = state.lastManifestSha256 !== null ? m.previousManifestSha256 === state.lastManifestSha256 : (m.previousBundleSha256 ?? null) === state.lastSha256;
  if (!linked) {
    refuse(
      'fork',
      `第 ${m.sequence} 号数据包记录的上一包与已导入的第 ${lastSeq} 号不符`,
      `bundle ${m.sequence} names a previous bundle that is not the imported bundle ${lastSeq}`,
    );
  }
  return 'new';
}

/** The bundle's trail extends the head of what the sponsor already holds from this site, row for row. */
function checkExtendsHead(chain: ChainSummary, state: SponsorSiteState, m: BundleManifest): void {
  if (chain.diverges) refuse('fork', chain.diverges.zh, chain.diverges.en);
  const head = state.head;
  if (!head) return;
  const a = m.audit;
  if (a.watermark < head.seq) {
    refuse(
      'fork',
      `中心的稽查轨迹到第 ${a.watermark} 行为止，而此前已收到到第 ${head.seq} 行：轨迹被截短或从旧备份恢复`,
      `the site's audit trail ends at row ${a.watermark}, before row ${head.seq} already received: the trail was cut short or restored from an old backup`,
    );
  }
  if (m.scope === 'changes' && (a.fromSeq !== head.seq || a.fromHash !== head.hash)) {
    refuse(
      'fork',
      `数据包接续第 ${a.fromSeq} 行，而此前收到的稽查头是第 ${head.seq} 行（哈希不同）：中心的稽查轨迹在此之前被改写`,
      `the bundle continues from row ${a.fromSeq}, but the head received so far is row ${head.seq} with another hash: the site's audit trail was rewritten before it`,
    );
  }
}

export interface Verified extends VerifiedBundle {
  /** new: may be loaded; test: a test export (to a key other than the site's sponsor key), never loaded; already: imported before. */
  outcome: 'new' | 'test' | 'already';
}

/**
 * Pass 1: reads the bundle open at fd (whose SHA-256 is sha256) once, writes nothing, and refuses it unless it is intact,
 * signed by the trusted site, in sequence and an extension of the audit trail already received from that site.
 */
export async function verifyBundle(fd: number, sha256: string, keys: BundleKeys, trustedFingerprint: string, sponsorDb: Database.Database): Promise<Verified> {
  const c = await collect(fd, keys, sponsorDb);
  // What was verified is the file whose SHA-256 names the bundle (the load pass checks the same of what it loads).
  if (c.cipherSha256 !== sha256) refuse('damaged', '验证过程中文件被改动（两次读取内容不同）', 'the file changed while it was being verified (the two reads differ)');
  const manifest = checkContents(c, trustedFingerprint);
  checkChainAgainstManifest(c.chain, manifest);
  const manifestText = c.small.get('manifest.json')!.toString('utf8');
  const manifestSha256 = c.files.get('manifest.json')!.sha256;
  const verified = { sha256, folder: c.folder, manifest, manifestText, manifestSha256, files: c.files, chain: c.chain, data: { subjects: c.data.subjects, forms: c.data.forms } };
  if (manifest.test) return { ...verified, outcome: 'test' };
  const state = sponsorSiteState(sponsorDb, manifest.site);
  if (checkSequence(sponsorDb, state, manifest, manifestSha256) === 'already') return { ...verified, outcome: 'already' };
  checkExtendsHead(c.chain, state, manifest);
  return { ...verified, outcome: 'new' };
}

function emptyChain(): ChainSummary {
  return { rows: 0, firstSeq: null, firstPrevHash: null, lastSeq: null, lastHash: null, redacted: 0, broken: null, diverges: null };
}
