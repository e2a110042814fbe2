// API calls for sponsor bundles: key status, sponsor key install (admin), site public key, create an export, progress.
import { z } from 'zod';
import type { CallDef } from '../define';

const countsSchema = z.object({ subjects: z.number().int(), forms: z.number().int(), items: z.number().int(), auditRows: z.number().int() });
export const exportScopeSchema = z.enum(['full', 'changes']);

export const exportStatusSchema = z.object({
  site: z.string(),
  siteKeyFingerprint: z.string().nullable(),
  sponsorKeyFingerprint: z.string().nullable(),
  sponsorKeyUserId: z.string().nullable(),
  lastSequence: z.number().int(),
  lastExportAt: z.string().nullable(),
  lastBundleSha256: z.string().nullable(),
  changesSinceLast: z.number().int(),
  defaultOutDir: z.string(),
});
export type ExportStatusView = z.infer<typeof exportStatusSchema>;

export const exportProgressSchema = z.object({
  running: z.boolean(),
  progress: z.object({ phase: z.enum(['reading', 'packing', 'encrypting', 'done']), done: z.number(), total: z.number() }).nullable(),
});

export const exportResultSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sequence: z.number().int(),
  scope: exportScopeSchema,
  sha256: z.string(),
  size: z.number().int(),
  counts: countsSchema,
});
export type ExportResultView = z.infer<typeof exportResultSchema>;

export const exportCalls = {
  'export.status': {
    access: ['admin', 'monitor'],
    args: z.object({}),
    result: exportStatusSchema,
  },
  'export.installSponsorKey': {
    access: ['admin'],
    args: z.object({ armoredKey: z.string().min(1).max(100_000) }),
    result: z.object({ fingerprint: z.string(), userId: z.string() }),
  },
  'export.sitePublicKey': {
    access: ['admin', 'monitor'],
    args: z.object({}),
    result: z.object({ fingerprint: z.string(), armoredKey: z.string() }),
  },
  'export.create': {
    access: ['admin', 'monitor'],
    args: z.object({ scope: exportScopeSchema, outDir: z.string().trim().min(1).max(1000) }),
    result: exportResultSchema,
  },
  'export.progress': {
    access: ['admin', 'monitor'],
    args: z.object({}),
    result: exportProgressSchema,
  },
} satisfies Record<string, CallDef>;
