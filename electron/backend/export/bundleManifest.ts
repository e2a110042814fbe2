// The manifest inside every bundle (manifest.json) and its schema, checked again by the sponsor on import.
import { z } from 'zod';

export const BUNDLE_FORMAT = 'kunming-ln-ecrf-bundle/1';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  site: z.string().min(1),
  sequence: z.number().int().positive(),
  previousBundleSha256: sha256.nullable(),
  created: z.object({ utc: z.string(), local: z.string() }),
  appVersion: z.string(),
  protocol: z.object({ id: z.string(), version: z.string() }),
  scope: z.enum(['full', 'changes']),
  audit: z.object({ fromSeq: z.number().int().nonnegative(), watermark: z.number().int().nonnegative() }),
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
});
export type BundleManifest = z.infer<typeof manifestSchema>;

export const bundleFolder = (site: string, sequence: number) => `${site}-export-${String(sequence).padStart(6, '0')}`;
export const bundleFileName = (site: string, sequence: number) => `${bundleFolder(site, sequence)}.tar.gpg`;
