// Handlers for sponsor bundles: status, sponsor key install, site public key, export creation and its progress.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { exportCalls } from '../../../../shared/api/calls/export';
import type { Services } from '../../backend';
import { requireUser, type HandlersFor } from '../handlerTypes';

/** The default destination: an "exports" folder beside the database (the data dir). */
export function defaultExportDir(s: Services): string {
  return join(dirname(s.db.name), 'exports');
}

export const exportHandlers: HandlersFor<typeof exportCalls> = {
  'export.status': (_args, _ctx, s) => ({ ...s.exports.status(), defaultOutDir: defaultExportDir(s) }),
  'export.installSponsorKey': (args, ctx, s) => s.exports.installSponsorKey(args.armoredKey, requireUser(ctx)),
  'export.sitePublicKey': async (_args, _ctx, s) => {
    const k = await s.exports.sitePublicKey();
    return { fingerprint: k.fingerprint, armoredKey: k.armored };
  },
  'export.create': (args, ctx, s) => {
    const def = defaultExportDir(s);
    if (resolve(args.outDir) === def) mkdirSync(def, { recursive: true });
    return s.exports.create({ scope: args.scope, outDir: args.outDir }, requireUser(ctx));
  },
  'export.progress': (_args, _ctx, s) => s.exports.currentProgress(),
};
