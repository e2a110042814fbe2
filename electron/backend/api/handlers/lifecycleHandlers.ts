// Handlers for SDV, e-signature and lock/unlock (the service re-checks roles and form states).
import type { lifecycleCalls } from '../../../../shared/api/calls/lifecycle';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const lifecycleHandlers: HandlersFor<typeof lifecycleCalls> = {
  'lifecycle.forForm': (args, ctx, s) => (requireUser(ctx), s.lifecycle.forForm(args)),
  'lifecycle.verifyItems': (args, ctx, s) => s.lifecycle.verifyItems(args.formKey, args.itemCodes, requireUser(ctx)),
  'lifecycle.unverifyItems': (args, ctx, s) => s.lifecycle.unverifyItems(args.formKey, args.itemCodes, args.reason, requireUser(ctx)),
  'lifecycle.verifyForm': (args, ctx, s) => s.lifecycle.verifyForm(args.formKey, requireUser(ctx)),
  'lifecycle.sign': (args, ctx, s) => {
    const { password, meaning, ...scope } = args;
    return s.lifecycle.sign(scope, password, meaning, requireUser(ctx));
  },
  'lifecycle.lock': (args, ctx, s) => {
    const { reason, ...scope } = args;
    return s.lifecycle.lock(scope, reason, requireUser(ctx));
  },
  'lifecycle.unlock': (args, ctx, s) => {
    const { reason, ...scope } = args;
    return s.lifecycle.unlock(scope, reason, requireUser(ctx));
  },
};
