// Handlers for database backups: status, folder and interval, back up now.
import type { backupCalls } from '../../../../shared/api/calls/backup';
import { requireRole } from '../../gcp/roleGuard';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const backupHandlers: HandlersFor<typeof backupCalls> = {
  'backup.status': (_args, ctx, s) => {
    requireRole(requireUser(ctx), ['admin']);
    return s.backup.status();
  },
  'backup.setFolder': (args, ctx, s) => s.backup.setFolder(args.folder, args.intervalHours, requireUser(ctx)),
  'backup.now': (_args, ctx, s) => s.backup.backupNow('manual', requireUser(ctx)),
};
