// Handlers for creating, listing and opening subjects.
import type { subjectCalls } from '../../../../shared/api/calls/subjects';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const subjectHandlers: HandlersFor<typeof subjectCalls> = {
  'subjects.create': (_args, ctx, s) => s.subjects.create(requireUser(ctx)),
  'subjects.list': (args, _ctx, s) => s.subjects.list(args.search, args.since),
  'subjects.changeStatus': (args, ctx, s) => s.subjects.changeStatus(args, requireUser(ctx)),
  'subjects.get': (args, _ctx, s) => ({
    subject: s.subjects.get(args.subjectId),
    visitDates: s.subjects.visitDates(args.subjectId),
    forms: s.subjects.formSummaries(args.subjectId),
  }),
};
