// Handlers for reading and saving form data and drafts.
import type { formCalls } from '../../../../shared/api/calls/forms';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const formHandlers: HandlersFor<typeof formCalls> = {
  'forms.get': (args, ctx, s) => s.forms.get(args, requireUser(ctx)),
  'forms.save': (args, ctx, s) => s.forms.save(args, requireUser(ctx)),
  'drafts.save': (args, ctx, s) => s.forms.saveDraft(args, args.data, requireUser(ctx)),
  'drafts.discard': (args, ctx, s) => s.forms.discardDraft(args, requireUser(ctx)),
};
