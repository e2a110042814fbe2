// The manifest inside every bundle (manifest.json) and its schema, checked again by the sponsor on import.
import { z } from 'zod';

/**
 * /2: the manifest names the audit trail's head (hash of the last row) and the row it continues from.
 * /3 (issue 14): data.jsonl opens with the dictionary and code lists (rows of type column / code), form rows carry
 * derived values, missing-value reasons and the rules version, and the workflow travels as rows of its own (query,
 * queryMessage, sdv, signature, statusChange, unblinding); the manifest names the rules version.
 */
export const BUNDLE_FORMAT = 'kunming-ln-ecrf-bundle/3';
/** Formats this version imports (a /2 bundle loads without the parts /3 added). */
export const READABLE_FORMATS: readonly string[] = ['kunming-ln-ecrf-bundle/2', BUNDLE_FORMAT];

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.enum(['kunming-ln-ecrf-bundle/2', BUNDLE_FORMAT]),
  site: z.string().min(1),
  sequence: z.number().int().positive(),
  /** SHA-256 of the previous bundle's file, as the site wrote it (for people; a damaged header changes it). */
  previousBundleSha256: sha256.nullable(),
  /**
   * SHA-256 of the previous bundle's manifest.json: the link the sponsor checks, because it is covered by the MDC and
   * the signature (a byte flipped in a bundle's unauthenticated header can leave it readable, with another file hash).
   * Null for the first bundle, and after a bundle of format /1 (whose manifest the sponsor did not keep byte for byte).
   */
  previousManifestSha256: sha256.nullable(),
  created: z.object({ utc: z.string(), local: z.string() }),
  appVersion: z.string(),
  protocol: z.object({ id: z.string(), version: z.string() }),
  scope: z.enum(['full', 'changes']),
  /**
   * Audit rows (fromSeq, watermark] are in audit.jsonl. fromHash: hash of row fromSeq (the head of the bundle this one
   * continues; genesis for a full bundle); headHash: hash of row watermark; trailRows: rows the site's trail held up to
   * the watermark (= watermark when no row is missing).
   */
  audit: z.object({
    fromSeq: z.number().int().nonnegative(),
    fromHash: sha256,
    watermark: z.number().int().nonnegative(),
    headHash: sha256,
    trailRows: z.number().int().nonnegative(),
  }),
  counts: z.object({ subjects: z.number().int(), forms: z.number().int(), items: z.number().int(), auditRows: z.number().int() }),
  keys: z.object({ site: z.string(), sponsor: z.string() }),
  files: z.array(z.object({ name: z.string(), sha256, size: z.number().int().nonnegative() })),
  /**
   * Who holds a key to the sealed allocation list at the time of the bundle (every grant is also in the audit trail),
   * and the sponsor key its recovery copy is encrypted to. Optional: bundles from before issue 12 lack it.
   */
  allocationAccess: z
    .object({
      holders: z.array(z.object({ username: z.string(), role: z.string(), purpose: z.enum(['pharmacist', 'emergency']), grantedBy: z.string(), grantedAtUtc: z.string() })),
      recoveryFingerprint: z.string().nullable(),
    })
    .optional(),
  /** The version of the rules the derived values were computed with (shared/rules/version.ts); /3 on. */
  rulesVersion: z.string().optional(),
  /** An export to a key other than the installed sponsor key: takes no sequence number, is never loaded. */
  test: z.boolean().optional(),
});
export type BundleManifest = z.infer<typeof manifestSchema>;

export const bundleFolder = (site: string, sequence: number) => `${site}-export-${String(sequence).padStart(6, '0')}`;
export const bundleFileName = (site: string, sequence: number) => `${bundleFolder(site, sequence)}.tar.gpg`;
/** A test export's file: the sequence it would have had, marked so nobody mistakes it for the real one. */
export const testBundleFileName = (site: string, sequence: number, utcCompact: string) => `${bundleFolder(site, sequence)}-TEST-${utcCompact}.tar.gpg`;
