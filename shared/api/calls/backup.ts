// API calls for database backups: status, folder and interval, back up now (administrator only).
import { z } from 'zod';
import type { CallDef } from '../define';

export const backupInfoSchema = z.object({
  file: z.string(),
  atUtc: z.string(),
  sizeBytes: z.number().int(),
  trigger: z.enum(['manual', 'scheduled', 'exit']),
});

export const backupStatusSchema = z.object({
  folder: z.string(),
  defaultFolder: z.boolean(),
  intervalHours: z.number(),
  keep: z.number().int(),
  last: backupInfoSchema.nullable(),
  files: z.number().int(),
  /** When the next scheduled backup is due; null when no schedule runs in this process. */
  nextDueUtc: z.string().nullable(),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

export const backupCalls = {
  'backup.status': {
    access: ['admin'],
    args: z.object({}),
    result: backupStatusSchema,
  },
  'backup.setFolder': {
    access: ['admin'],
    args: z.object({ folder: z.string().trim().min(1).max(1000), intervalHours: z.number().int().min(1).max(168) }),
    result: backupStatusSchema,
  },
  'backup.now': {
    access: ['admin'],
    args: z.object({}),
    result: backupInfoSchema,
  },
} satisfies Record<string, CallDef>;
