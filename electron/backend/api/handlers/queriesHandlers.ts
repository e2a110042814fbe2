// Handlers for data queries: list, per-form threads, raise / answer / close / reopen (the service re-checks roles).
import type { queryCalls } from '../../../../shared/api/calls/queries';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const queryHandlers: HandlersFor<typeof queryCalls> = {
  'queries.list': (args, ctx, s) => (requireUser(ctx), s.queries.list(args)),
  'queries.counts': (_args, ctx, s) => (requireUser(ctx), s.queries.counts()),
  'queries.forForm': (args, ctx, s) => (requireUser(ctx), s.queries.forForm(args)),
  'queries.raise': (args, ctx, s) => s.queries.raise(args, requireUser(ctx)),
  'queries.answer': (args, ctx, s) => s.queries.answer(args.queryId, args.text, requireUser(ctx)),
  'queries.close': (args, ctx, s) => s.queries.close(args.queryId, args.text, requireUser(ctx)),
  'queries.reopen': (args, ctx, s) => s.queries.reopen(args.queryId, args.text, requireUser(ctx)),
};
