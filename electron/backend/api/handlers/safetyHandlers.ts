// Handlers for safety: the SAE list with its reporting clocks.
import type { safetyCalls } from '../../../../shared/api/calls/safety';
import { requireUser, type HandlersFor } from '../handlerTypes';

export const safetyHandlers: HandlersFor<typeof safetyCalls> = {
  'safety.saes': (_args, ctx, s) => (requireUser(ctx), s.safety.saes()),
};
