// Handlers for user administration and own password change (the service re-checks the admin role).
import type { userCalls } from '../../../../shared/api/calls/users';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const userHandlers: HandlersFor<typeof userCalls> = {
  'users.list': (_args, ctx, s) => s.userAdmin.list(requireUser(ctx)),
  'users.create': (args, ctx, s) => s.userAdmin.create(args, requireUser(ctx)),
  'users.update': (args, ctx, s) => s.userAdmin.update(args.userId, { displayName: args.displayName, role: args.role }, requireUser(ctx)),
  'users.deactivate': (args, ctx, s) => s.userAdmin.deactivate(args.userId, requireUser(ctx)),
  'users.reactivate': (args, ctx, s) => s.userAdmin.reactivate(args.userId, requireUser(ctx)),
  'users.unlock': (args, ctx, s) => s.userAdmin.unlock(args.userId, requireUser(ctx)),
  'users.resetPassword': (args, ctx, s) => s.userAdmin.resetPassword(args.userId, args.newPassword, requireUser(ctx)),
  'users.changeOwnPassword': (args, ctx, s) => s.userAdmin.changeOwnPassword(args.oldPassword, args.newPassword, requireUser(ctx)),
};
