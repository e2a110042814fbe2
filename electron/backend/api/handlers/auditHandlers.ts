// Handlers for the audit view: one form's (or item's) audit rows, allocation rows withheld from blinded roles.
import type { auditCalls } from '../../../../shared/api/calls/audit';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const auditHandlers: HandlersFor<typeof auditCalls> = {
  'audit.forForm': (args, ctx, s) => s.auditView.forForm(args, requireUser(ctx)),
};
