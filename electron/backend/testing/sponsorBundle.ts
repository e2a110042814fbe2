// The sponsor's view of a bundle in tests: a site study exported through the API, then every file of the bundle read
// back (decrypted and verified by the same reader the sponsor import uses), and its CSVs parsed.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
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
