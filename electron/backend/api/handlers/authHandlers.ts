// Handlers for app info, first-run setup, login, logout and the current user.
import type { authCalls } from '../../../../shared/api/calls/auth';
import { STUDY } from '../../../../shared/protocol/study';
import type { HandlersFor } from '../handlerTypes';

export const authHandlers: HandlersFor<typeof authCalls> = {
  'app.info': (_args, _ctx, s) => ({
    appVersion: s.appVersion,
    protocolVersion: STUDY.protocolVersion,
    transport: s.transport,
    needsSetup: s.users.needsSetup(),
    site: STUDY.site,
    keyStorage: s.keyStorage,
  }),
  'auth.setupAdmin': async (args, ctx, s) => {
    const user = await s.users.setupAdmin(args);
    s.sessions.start(ctx.sessionKey, user);
    return user;
  },
  'auth.login': async (args, ctx, s) => {
    const user = await s.users.authenticate(args.username, args.password);
    s.sessions.start(ctx.sessionKey, user);
    return user;
  },
  'auth.logout': (_args, ctx, s) => {
    const user = s.sessions.peek(ctx.sessionKey);
    if (user) s.audit.append({ userId: user.id, username: user.username, action: 'logout' });
    s.sessions.end(ctx.sessionKey);
    return null;
  },
  'auth.me': (_args, ctx, s) => {
    const user = s.sessions.touch(ctx.sessionKey);
    if (!user) return null;
    // Idle for 15 minutes, or the account locked/deactivated since: the session ends here too, not only on the next call.
    if (user === 'locked' || s.users.sessionVerdict(user.id) === 'ended') {
      s.sessions.end(ctx.sessionKey);
      return null;
    }
    return s.users.byId(user.id);
  },
};
