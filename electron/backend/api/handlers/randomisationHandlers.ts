// Handlers for the randomisation list, randomising a subject, the allocation table and emergency unblinding.
import type { randomisationCalls } from '../../../../shared/api/calls/randomisation';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const randomisationHandlers: HandlersFor<typeof randomisationCalls> = {
  'randomisation.status': (_args, ctx, s) => s.randomisation.status(requireUser(ctx)),
  'randomisation.generateList': (args, ctx, s) => s.randomisation.generateList(args.seed, args.size, requireUser(ctx), args.password),
  'randomisation.importList': (args, ctx, s) => s.randomisation.importList(args.csv, requireUser(ctx), args.password),
  'randomisation.randomise': (args, ctx, s) => s.randomisation.randomiseConfirmed(args.subjectId, args.password, requireUser(ctx), args.date),
  'randomisation.allocations': (args, ctx, s) => s.randomisation.allocations(requireUser(ctx), args.password),
  'randomisation.access': (_args, _ctx, s) => s.randomisation.access(),
  'randomisation.grantAccess': async (args, ctx, s) => {
    await s.randomisation.grantAccess(requireUser(ctx), args.password, { username: args.granteeUsername, password: args.granteePassword });
    return s.randomisation.access();
  },
  'unblinding.emergency': (args, ctx, s) => s.unblinding.emergency(args.subjectId, args.password, args.reason, requireUser(ctx)),
};
