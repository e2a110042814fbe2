// Handlers for the paper trail: a subject's casebook as the PDF prints it (blinded view whoever asks).
import type { printCalls } from '../../../../shared/api/calls/print';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const printHandlers: HandlersFor<typeof printCalls> = {
  'print.casebook': (args, ctx, s) => {
    const user = requireUser(ctx);
    return s.print.casebook(args.subjectId, user.username);
  },
};
